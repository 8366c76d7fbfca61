package dev.argus.app.soak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outside world a soak needs, on loopback: a Workers AI stand-in for the model served through backend
 * {@code cloudflare} (it answers, or hangs past the server's timeout for a share of calls), and a Hugging Face Hub
 * stand-in serving one model file, whose download can be made to run out of disk half way.
 */
final class Stubs {
    private Stubs() {
    }

    /** Answers Cloudflare's resnet-50 route with a fixed result; a share of calls hangs for {@code hangMillis} instead. */
    static final class Cloudflare implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService pool = Executors.newCachedThreadPool(daemon("soak-cloudflare-stub"));
        private final double hangShare;
        private final long hangMillis;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong hung = new AtomicLong();
        /** Hangs only once armed: the server warms the remote model up at start, and must be able to. */
        volatile boolean armed;

        Cloudflare(double hangShare, long hangMillis) throws IOException {
            this.hangShare = hangShare;
            this.hangMillis = hangMillis;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
                if (armed && ThreadLocalRandom.current().nextDouble() < hangShare) {
                    hung.incrementAndGet();
                    try {
                        Thread.sleep(hangMillis); // the caller's attempt timeout ends this first
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                byte[] body = ("{\"result\":[{\"label\":\"TABBY CAT\",\"score\":0.62},{\"label\":\"TIGER CAT\",\"score\":0.21},"
                        + "{\"label\":\"EGYPTIAN CAT\",\"score\":0.09}],\"success\":true,\"errors\":[],\"messages\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                answered.incrementAndGet();
            } catch (IOException e) {
                // the caller gave up on a hung call: nothing to answer
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    /**
     * Serves {@code /soak/<repo>/resolve/main/model.onnx} as the Hub does (commit, linked ETag and size). While
     * {@link #failNextDownload} is set, the next GET sends its first MiB, calls the disk filler, then sends the rest,
     * so that the server's write runs out of space half way.
     */
    static final class Hub implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService pool = Executors.newCachedThreadPool(daemon("soak-hub-stub"));
        private final byte[] file;
        private final String sha256;
        private final Runnable fillDisk;
        volatile boolean failNextDownload;
        final AtomicLong downloads = new AtomicLong();

        Hub(byte[] file, Runnable fillDisk) throws IOException {
            this.file = file;
            this.fillDisk = fillDisk;
            try {
                this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", this::handle);
            server.setExecutor(pool);
            server.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                if (!path.matches("/soak/[A-Za-z0-9._-]+/resolve/main/model\\.onnx")) {
                    ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                var h = ex.getResponseHeaders();
                h.set("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567");
                h.set("X-Linked-Etag", "\"" + sha256 + "\"");
                h.set("X-Linked-Size", Long.toString(file.length));
                h.set("Content-Type", "application/octet-stream");
                if (ex.getRequestMethod().equals("HEAD")) {
                    h.set("Content-Length", Long.toString(file.length));
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
                downloads.incrementAndGet();
                boolean fail = failNextDownload;
                failNextDownload = false;
                ex.sendResponseHeaders(200, file.length);
                OutputStream out = ex.getResponseBody();
                int first = Math.min(file.length / 2, 1 << 20);
                out.write(file, 0, first);
                out.flush();
                if (fail) {
                    try {
                        Thread.sleep(300); // the first MiB reaches the server's .part file
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    fillDisk.run();
                }
                // in pieces: the JDK's server copies each write into a buffer of its size (one write of 100 MB took the heap)
                for (int off = first; off < file.length; off += 1 << 16) {
                    out.write(file, off, Math.min(1 << 16, file.length - off));
                }
            } catch (IOException e) {
                // the server stopped reading (its disk is full): expected
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
