package dev.argus.cloudflare;

import dev.argus.domain.TraceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt: POST the raw image to the endpoint with the bearer token, within a timeout that covers connecting,
 * sending and reading the whole answer. One {@link HttpClient} per classifier: it pools connections, speaks HTTP/2
 * where the server offers it over TLS (ALPN) and falls back to HTTP/1.1. Plain {@code http://} endpoints (Argus
 * itself, test servers) get HTTP/1.1 directly: no h2c upgrade dance on every new connection. Redirects are not
 * followed (the token must not travel to another host).
 */
final class CloudflareHttp {
    /** Cloudflare's answers are a few hundred bytes; anything near this is not one. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    /** What came back. */
    record Response(int status, byte[] body, Optional<String> retryAfter, HttpClient.Version version) {
    }

    private final HttpClient client;
    private final CloudflareConfig config;

    CloudflareHttp(CloudflareConfig config, Executor executor) {
        this.config = config;
        boolean tls = config.baseUrl().getScheme().equalsIgnoreCase("https");
        this.client = HttpClient.newBuilder()
                .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.attemptTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Sends {@code image}; returns any HTTP answer (error statuses included).
     *
     * @throws HttpTimeoutException when no complete answer came within {@code timeout}
     * @throws IOException          when the connection failed or dropped
     */
    Response post(byte[] image, Duration timeout) throws IOException, InterruptedException {
        return post(image, timeout, TraceContext.NONE);
    }

    /** As {@link #post(byte[], Duration)}, sending {@code span} as {@code traceparent} (and tracestate) when present. */
    Response post(byte[] image, Duration timeout, TraceContext span) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.endpoint())
                .timeout(timeout)
                .header("Authorization", "Bearer " + config.apiToken())
                .header("Content-Type", "application/octet-stream")
                .header("Accept", "application/json")
                .header("User-Agent", "argus-cloudflare-backend");
        if (span.isPresent()) {
            builder.header("traceparent", span.traceparent());
            if (!span.traceState().isEmpty()) {
                builder.header("tracestate", span.traceState());
            }
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request, info -> new LimitedBody(MAX_RESPONSE_BYTES));
        try {
            HttpResponse<byte[]> r = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After"), r.version());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
        }
    }

    /** Closes the client's connections where the JDK can (21+: HttpClient is AutoCloseable). */
    void close() {
        Object c = client;
        if (c instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Closing is best effort: the connections are released with the client either way.
            }
        }
    }

    /** Collects the body, failing once it exceeds {@code limit} bytes instead of buffering without bound. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (buffer.size() + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("the answer exceeds " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
