package dev.argus.app.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.argus.app.config.ServingConfig;
import dev.argus.domain.ArgusException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener of its own that serves {@code GET /metrics} and nothing else ({@code argus.metrics.port}): the same
 * registry, and so the same series, as REST's {@code /metrics}, for a server whose REST API is disabled or whose
 * scrapes should stay off the API's port. No tokens, as {@code /metrics} on REST: bind it where only scrapers reach.
 * On the JDK's own HTTP server, with two named threads.
 */
final class MetricsListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsListener.class.getName());
    static final String PATH = "/metrics";
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final HttpServer server;
    private final ExecutorService threads;
    private final PrometheusRegistry registry;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsListener(HttpServer server, ExecutorService threads, PrometheusRegistry registry, String host) {
        this.host = host;
        this.server = server;
        this.threads = threads;
        this.registry = registry;
    }

    /** Binds {@code config.host():config.port()} and serves {@code registry} on {@code /metrics}. */
    static MetricsListener start(ServingConfig.Metrics config, PrometheusRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            throw ArgusException.configuration("Cannot start the metrics listener on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage() + " (port in use? set argus.metrics.port, or leave it empty for none)");
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "argus-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        MetricsListener listener = new MetricsListener(server, threads, registry, config.host());
        server.setExecutor(threads);
        server.createContext("/", listener::handle);
        server.start();
        LOG.log(System.Logger.Level.INFO, "Metrics listener on {0}", listener.describe());
        return listener;
    }

    /** {@code http://HOST:PORT/metrics}, for the log. */
    String describe() {
        return "http://" + host + ":" + port() + PATH;
    }

    /** The bound port (the chosen one when configured as 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "Not found: this listener serves " + PATH + " only\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "Method not allowed: " + PATH + " answers GET and HEAD\n");
            } else {
                byte[] body;
                try {
                    body = scrape();
                } catch (RuntimeException e) { // the listener's boundary: a failed scrape is a 500, not a dropped connection
                    LOG.log(System.Logger.Level.ERROR, "Serving " + PATH + " failed", e);
                    reply(exchange, 500, "Scraping the metrics failed; see the server's log\n");
                    return;
                }
                reply(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body);
            }
        }
    }

    private byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        TEXT.write(out, registry.scrape());
        return out.toByteArray();
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        reply(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops accepting and ends the threads; a scrape in progress is cut off (the next one goes elsewhere). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
