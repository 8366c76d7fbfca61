package dev.argus.modelhub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the Hub serving one model file at {@link #MODEL_PATH} (and at {@link #MODEL_PATH_AT_COMMIT}),
 * like the real one: HEAD and GET answer 302 with {@code X-Linked-Etag}/{@code X-Linked-Size}/{@code X-Repo-Commit}
 * and a Location on another host ({@code localhost} instead of {@code 127.0.0.1}, the "CDN"), which serves the bytes
 * with Range support. Knobs and a queue of faults for the next GETs of the bytes make it misbehave; {@link #addFile}
 * serves more files of the repository directly.
 */
final class FakeHub implements AutoCloseable {
    static final String LOCATION = "hf://Xenova/resnet-50/onnx/model.onnx";
    static final String MODEL_PATH = "/Xenova/resnet-50/resolve/main/onnx/model.onnx";
    static final String CDN_PATH = "/cdn/blob/model.onnx";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String MODEL_PATH_AT_COMMIT = "/Xenova/resnet-50/resolve/" + COMMIT + "/onnx/model.onnx";
    static final String REPO_FILES = "/Xenova/resnet-50/resolve/main/";
    /** Redirects to itself. */
    static final String CDN_LOOP = "/cdn/loop";
    /** {@code /cdn/hop/N} redirects to {@code /cdn/hop/N+1}, without end. */
    static final String CDN_HOPS = "/cdn/hop/";

    enum Fault {
        ERROR_500, TOO_MANY_REQUESTS_RETRY_AFTER_1, DROP_MID_BODY, STALL_MID_BODY, ENDLESS_BODY, ENDLESS_ERROR_500,
        FORBIDDEN_403, NOT_FOUND_404, SIGN_IN_PAGE
    }

    /** What {@link Fault#SIGN_IN_PAGE} serves, with 200 and {@code text/html}: a captive portal's page. */
    static final String SIGN_IN_PAGE = "<!DOCTYPE html>\n<html><head><title>Guest Wi-Fi: sign in</title></head>"
            + "<body>Accept the terms to continue</body></html>\n";

    record Request(String method, String path, String range, String authorization) {
    }

    volatile byte[] content;
    volatile String sha256;
    volatile String commit = COMMIT;
    volatile byte[] served;
    volatile boolean redirectToCdn = true;
    volatile boolean publishHash = true;
    volatile boolean honourRange = true;
    volatile int status;
    volatile String errorCode;
    volatile long stallMillis = 3_000;
    /** When set, the model's Hub URL answers 302 with this Location instead ({@code ""}: no Location at all). */
    volatile String hubRedirect;
    /** When set, the model's Hub URL answers 200 with this page and {@link #webPageType}, as a captive portal does. */
    volatile String webPage;
    volatile String webPageType = "text/html; charset=utf-8";
    private final java.util.Map<String, byte[]> files = new java.util.concurrent.ConcurrentHashMap<>();
    final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    FakeHub(int size) throws IOException {
        this.content = bytes(size, 42);
        this.served = content;
        this.sha256 = sha256(content);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Publishes a new commit on {@code main} in which the model file has {@code data}. */
    void newCommit(byte[] data, String newCommit) {
        content = data;
        served = data;
        sha256 = sha256(data);
        commit = newCommit;
    }

    /** Serves {@code data} as the repository file {@code pathInRepo} on {@code main}: directly, hash published. */
    void addFile(String pathInRepo, byte[] data) {
        files.put(REPO_FILES + pathInRepo, data);
    }

    long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    List<Request> gets() {
        return requests.stream().filter(r -> r.method().equals("GET")).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        requests.add(new Request(method, path, ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            if (path.equals(MODEL_PATH) || path.equals(MODEL_PATH_AT_COMMIT)) {
                hub(ex, method);
            } else if (files.containsKey(path)) {
                file(ex, method, files.get(path));
            } else if (path.equals(CDN_PATH) && method.equals("GET")) {
                body(ex);
            } else if (path.equals(CDN_LOOP)) {
                redirect(ex, CDN_LOOP);
            } else if (path.startsWith(CDN_HOPS)) {
                redirect(ex, CDN_HOPS + (Integer.parseInt(path.substring(CDN_HOPS.length())) + 1));
            } else {
                ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    private void hub(HttpExchange ex, String method) throws IOException {
        var headers = ex.getResponseHeaders();
        String page = webPage;
        if (page != null) {
            byte[] html = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            headers.set("Content-Type", webPageType);
            ex.sendResponseHeaders(200, method.equals("HEAD") ? -1 : html.length);
            if (!method.equals("HEAD")) {
                ex.getResponseBody().write(html);
            }
            return;
        }
        headers.set("X-Repo-Commit", commit);
        if (hubRedirect != null) {
            if (!hubRedirect.isEmpty()) {
                headers.set("Location", hubRedirect);
            }
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (status != 0) {
            if (errorCode != null) {
                headers.set("X-Error-Code", errorCode);
            }
            ex.sendResponseHeaders(status, -1);
            return;
        }
        if (publishHash) {
            headers.set("X-Linked-Etag", "\"" + sha256 + "\"");
            headers.set("X-Linked-Size", Long.toString(content.length));
        }
        if (redirectToCdn) {
            headers.set("Location", "http://localhost:" + server.getAddress().getPort() + CDN_PATH);
            ex.sendResponseHeaders(302, -1);
        } else if (method.equals("HEAD")) {
            headers.set("ETag", "\"" + "ab".repeat(20) + "\"");
            headers.set("Content-Length", Long.toString(content.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            body(ex);
        }
    }

    private void file(HttpExchange ex, String method, byte[] data) throws IOException {
        var headers = ex.getResponseHeaders();
        headers.set("X-Repo-Commit", commit);
        headers.set("X-Linked-Etag", "\"" + sha256(data) + "\"");
        headers.set("X-Linked-Size", Long.toString(data.length));
        headers.set("Content-Type", "application/octet-stream");
        if (method.equals("HEAD")) {
            headers.set("Content-Length", Long.toString(data.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            ex.sendResponseHeaders(200, data.length);
            ex.getResponseBody().write(data);
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private void body(HttpExchange ex) throws IOException {
        byte[] data = served;
        Fault fault = faults.poll();
        if (fault == Fault.ERROR_500 || fault == Fault.FORBIDDEN_403 || fault == Fault.NOT_FOUND_404) {
            ex.sendResponseHeaders(fault == Fault.ERROR_500 ? 500 : fault == Fault.FORBIDDEN_403 ? 403 : 404, -1);
            return;
        }
        if (fault == Fault.SIGN_IN_PAGE) {
            byte[] html = SIGN_IN_PAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, html.length);
            ex.getResponseBody().write(html);
            return;
        }
        if (fault == Fault.ENDLESS_BODY || fault == Fault.ENDLESS_ERROR_500) {
            ex.sendResponseHeaders(fault == Fault.ENDLESS_BODY ? 200 : 500, 0); // chunked, no length
            endless(ex.getResponseBody(), fault == Fault.ENDLESS_ERROR_500 ? 10 : 0);
            return;
        }
        if (fault == Fault.TOO_MANY_REQUESTS_RETRY_AFTER_1) {
            ex.getResponseHeaders().set("Retry-After", "1");
            ex.sendResponseHeaders(429, -1);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        int from = 0;
        if (honourRange && m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - from);
        } else {
            ex.sendResponseHeaders(200, data.length);
        }
        OutputStream out = ex.getResponseBody();
        int length = data.length - from;
        if (fault == Fault.DROP_MID_BODY || fault == Fault.STALL_MID_BODY) {
            out.write(data, from, length / 2);
            out.flush();
            if (fault == Fault.STALL_MID_BODY) {
                sleep(stallMillis);
            }
            ex.close(); // closes the connection: the client sees the body end early
            return;
        }
        out.write(data, from, length);
    }

    /**
     * Writes until the client hangs up (or 1 GiB, so that a test that fails cannot fill the disk), pausing
     * {@code pauseMillis} after each 64 KiB (paced, a client waiting for the end would wait minutes).
     */
    private static void endless(OutputStream out, long pauseMillis) {
        byte[] chunk = new byte[1 << 16];
        try {
            for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                out.write(chunk);
                if (pauseMillis > 0) {
                    out.flush();
                    sleep(pauseMillis);
                }
            }
        } catch (IOException clientHungUp) {
            // expected
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static byte[] bytes(int size, long seed) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }
}
