package dev.argus.cloudflare;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback stand-in for Cloudflare's Workers AI REST API. Answers the documented success envelope by default; a
 * queue of scripted replies (taken one per request, in arrival order) and a fallback chosen from the request body
 * reproduce each documented error shape ({@code result} null or {@code {}}), Retry-After, slow answers, dropped
 * connections, truncated bodies and malformed JSON. Records every request and the most requests in flight at once.
 */
final class FakeCloudflare implements AutoCloseable {
    static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
    static final String TOKEN = "cf-test-token-S3CR3T";
    static final String MODEL = "@cf/microsoft/resnet-50";
    static final String ROUTE = "/client/v4/accounts/" + ACCOUNT + "/ai/run/" + MODEL;
    /** The documentation's example answer for a cat photo (docs/reference.md, "Example answer"). */
    static final String DOCUMENTED_RESULT = "[{\"label\":\"PERSIAN CAT\",\"score\":0.4071},"
            + "{\"label\":\"PEKINESE\",\"score\":0.2344},{\"label\":\"FEATHER BOA\",\"score\":0.2256},"
            + "{\"label\":\"POMERANIAN\",\"score\":0.0333},{\"label\":\"JAPANESE SPANIEL\",\"score\":0.0242}]";

    /** How to answer one request. */
    @FunctionalInterface
    interface Reply {
        void send(HttpExchange ex) throws IOException;
    }

    record Request(String method, String path, String authorization, String contentType, byte[] body, int clientPort,
                   String traceparent, String tracestate) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Function<byte[], Reply> fallback = body -> ok(DOCUMENTED_RESULT);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-cloudflare");
        t.setDaemon(true);
        return t;
    });

    FakeCloudflare() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    CloudflareConfig config() {
        return CloudflareConfig.of(ACCOUNT, TOKEN).withBaseUrl(baseUrl())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .withRetries(4, Duration.ofMillis(5), Duration.ofMillis(40));
    }

    /** The next requests get these replies, in order; then the fallback answers. */
    FakeCloudflare then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Every request without a scripted reply gets this. */
    FakeCloudflare otherwise(Reply reply) {
        return answerBy(body -> reply);
    }

    /** Every request without a scripted reply gets the reply chosen from its body. */
    FakeCloudflare answerBy(Function<byte[], Reply> chooser) {
        fallback = chooser;
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"),
                    body, ex.getRemoteAddress().getPort(), ex.getRequestHeaders().getFirst("traceparent"),
                    ex.getRequestHeaders().getFirst("tracestate")));
            Reply scripted = script.poll();
            (scripted != null ? scripted : fallback.apply(body)).send(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    // ---- replies ----

    /** 200 with Cloudflare's success envelope around {@code resultJson}. */
    static Reply ok(String resultJson) {
        return raw(200, "{\"result\":" + resultJson + ",\"success\":true,\"errors\":[],\"messages\":[]}");
    }

    /** An error as documented, with {@code "result": null}. */
    static Reply error(int status, int code, String message) {
        return raw(status, errorJson("null", code, message));
    }

    /** An error as documented, with {@code "result": {}}. */
    static Reply errorWithEmptyResult(int status, int code, String message) {
        return raw(status, errorJson("{}", code, message));
    }

    static String errorJson(String result, int code, String message) {
        return "{\"result\":" + result + ",\"success\":false,\"errors\":[{\"code\":" + code + ",\"message\":\""
                + message + "\"}],\"messages\":[]}";
    }

    /** Any status and JSON (or not) body. */
    static Reply raw(int status, String body) {
        return raw(status, "application/json", body);
    }

    static Reply raw(int status, String contentType, String body) {
        return ex -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    static Reply withHeader(String name, String value, Reply reply) {
        return ex -> {
            ex.getResponseHeaders().set(name, value);
            reply.send(ex);
        };
    }

    /** Waits {@code delay} (interruptibly) before answering. */
    static Reply slow(Duration delay, Reply reply) {
        return ex -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            reply.send(ex);
        };
    }

    /** Closes the connection without answering (the handler fails, the server drops the connection). */
    static Reply drop() {
        return ex -> {
            throw new IOException("fake: dropping the connection");
        };
    }

    /** Promises a 500-byte body, sends 20 bytes of it, closes the connection. */
    static Reply truncated() {
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 500);
            OutputStream out = ex.getResponseBody();
            out.write("{\"result\":[{\"label\":".getBytes(StandardCharsets.UTF_8));
            out.flush();
            ex.close();
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
