package dev.argus.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback stand-in for an OpenTelemetry collector's OTLP/HTTP receiver: records every request (path, content type,
 * JSON body) and answers 200 {@code {}}, or the status set in {@link #status}; it can be held until released.
 */
public final class Collector implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Request(String method, String path, String contentType, JsonNode body) {
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile int status = 200;
    /** When set, each request waits for it (after being recorded). */
    public volatile CountDownLatch hold;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "collector-stand-in");
        t.setDaemon(true);
        return t;
    });

    public Collector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body)));
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = "{}".getBytes();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    /** Every span received so far, in order. */
    public List<JsonNode> spans() {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : requests) {
            for (JsonNode rs : r.body().path("resourceSpans")) {
                for (JsonNode ss : rs.path("scopeSpans")) {
                    ss.path("spans").forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Waits until {@code n} spans have arrived (or 10 s). */
    public List<JsonNode> awaitSpans(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spans().size() < n && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return spans();
    }

    /** The value of attribute {@code key} of a span, as text (its string, int or bool value). */
    public static String attribute(JsonNode span, String key) {
        for (JsonNode a : span.path("attributes")) {
            if (a.path("key").asText().equals(key)) {
                JsonNode v = a.path("value");
                return v.has("stringValue") ? v.get("stringValue").asText() : v.has("intValue") ? v.get("intValue").asText()
                        : v.has("boolValue") ? v.get("boolValue").asText() : v.toString();
            }
        }
        return null;
    }

    @Override
    public void close() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
