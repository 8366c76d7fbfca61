package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.CloudflareRouteTest.assertError;
import static dev.argus.rest.TestServer.CF_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void refusesABodyAboveTheLimitByItsContentLengthAndKeepsServing() {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(4096))) {
            assertError(s.post(CF_PATH, "image/jpeg", new byte[5000]), 413, 3006);
            assertError(s.post("/v1/classify", "image/jpeg", new byte[5000]), 413, 3006);
            assertThat(s.post(CF_PATH, "image/png", PNG).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesAChunkedBodyOnceItPassesTheLimit() {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(4096))) {
            HttpResponse<String> r = s.send(s.request(CF_PATH).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[20_000]))).build());
            assertThat(r.request().headers().firstValue("Content-Length")).isEmpty();
            assertError(r, 413, 3006);
            HttpResponse<String> ok = s.send(s.request(CF_PATH)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(PNG))).build());
            assertThat(ok.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesAChunkedMultipartUploadPastTheLimit() {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(4096))) {
            byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[head.length + 20_000 + 8];
            System.arraycopy(head, 0, body, 0, head.length);
            byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
            HttpResponse<String> r = s.send(s.request("/v1/classify").header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
            assertError(r, 413, 3006);
            assertThat(s.post("/v1/classify", null, PNG).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void answersOverflowBeyondTheConcurrencyLimitWith429And3040AtOnce() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxConcurrentRequests(2))) {
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                blocked.add(s.client.sendAsync(s.request(CF_PATH).POST(HttpRequest.BodyPublishers.ofByteArray(
                        "BLOCK".getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (s.useCase.calls.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(s.useCase.calls.get()).isEqualTo(2);
            long t0 = System.nanoTime();
            assertError(s.post(CF_PATH, null, PNG), 429, 3040);
            assertError(s.post("/v1/classify", null, PNG), 429, 3040);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.get("/metrics").body()).contains("argus_http_requests_in_flight 2.0");
            s.useCase.release.countDown();
            for (CompletableFuture<HttpResponse<String>> f : blocked) {
                assertThat(f.get().statusCode()).isEqualTo(200);
            }
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        }
    }

    /** Sends a request that holds the server's only place until {@code s.useCase.release}; returns once it does. */
    private static CompletableFuture<HttpResponse<String>> holdTheOnlyPlace(TestServer s) throws InterruptedException {
        CompletableFuture<HttpResponse<String>> blocked = s.client.sendAsync(s.request(CF_PATH).POST(
                HttpRequest.BodyPublishers.ofByteArray("BLOCK".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.useCase.calls.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return blocked;
    }

    @Test
    void aRefusalSaysWhenToRetryAndClosesTheConnectionWithoutReadingTheBody() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxConcurrentRequests(1))) {
            CompletableFuture<HttpResponse<String>> blocked = holdTheOnlyPlace(s);
            // the 8 MB body is announced and only its first KB sent, as a client whose upload is still on its way (Jetty
            // starts a request with a body once some of it arrives)
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST " + CF_PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                        + "Content-Length: 8000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(new byte[1024]);
                socket.getOutputStream().flush();
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = socket.getInputStream().read(buf)) > 0; ) {
                        got.write(buf, 0, n);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("the connection stayed open; received: " + got.toString(StandardCharsets.ISO_8859_1), e);
                }
                String answer = got.toString(StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 429");
                assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("retry-after: 1").contains("connection: close")
                        .contains("3040");
            }
            s.useCase.release.countDown();
            assertThat(blocked.get().statusCode()).isEqualTo(200);
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        }
    }

    /** Sends {@code request} on {@code socket} and reads one answer, whose body is {@code Content-Length} long. */
    private static String exchange(java.net.Socket socket, byte[] request) throws java.io.IOException {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        java.io.InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        assertThat(m.find()).as(h).isTrue();
        return h + new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8);
    }

    private static byte[] post(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    @Test
    void anErrorBeforeASmallBodyIsReadKeepsTheConnectionAndALargeOneClosesIt() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults())) {
            byte[] small = new byte[(int) Exchange.DISCARD_LIMIT];
            new java.util.Random(3).nextBytes(small);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port())) {
                socket.setSoTimeout(10_000);
                // refused before the body is read (no such model): the body is read and thrown away, the answer arrives
                // whole and the same connection serves the next request
                String refused = exchange(socket, post("/v1/models/other-net/classify", small));
                assertThat(refused).startsWith("HTTP/1.1 404").contains("3042");
                assertThat(refused.toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
                String served = exchange(socket, post(CF_PATH, PNG));
                assertThat(served).startsWith("HTTP/1.1 200").contains("\"success\":true");
            }
            // one byte over: announced, and only its first KB sent (the server closes without reading, so writing the
            // rest could fail with a broken pipe before the answer is read)
            byte[] large = post("/v1/models/other-net/classify", new byte[(int) Exchange.DISCARD_LIMIT + 1]);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port())) {
                socket.setSoTimeout(10_000);
                String refused = exchange(socket, java.util.Arrays.copyOf(large, large.length - (int) Exchange.DISCARD_LIMIT + 1023));
                assertThat(refused).startsWith("HTTP/1.1 404");
                assertThat(refused.toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
            }
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRefusalAfterTheAdmissionWaitReadsTheRestOfASmallBodyAndKeepsTheConnection() throws Exception {
        // the request waits its whole admission wait (1 s) on a quiet connection with half its body sent, is refused,
        // and the rest of the body comes 0.3 s later: the refusal reads it, answers on the open connection, and the
        // connection serves the next request
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxConcurrentRequests(1))) {
            CompletableFuture<HttpResponse<String>> blocked = holdTheOnlyPlace(s);
            byte[] body = new byte[64 * 1024];
            new java.util.Random(5).nextBytes(body);
            byte[] request = post(CF_PATH, body);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port())) {
                socket.setSoTimeout(10_000);
                int half = request.length - body.length / 2;
                socket.getOutputStream().write(request, 0, half);
                socket.getOutputStream().flush();
                Thread.sleep(1300);
                String refused = exchange(socket, java.util.Arrays.copyOfRange(request, half, request.length));
                assertThat(refused).startsWith("HTTP/1.1 429").contains("3040");
                assertThat(refused.toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
                s.useCase.release.countDown();
                assertThat(blocked.get().statusCode()).isEqualTo(200);
                String served = exchange(socket, post(CF_PATH, PNG));
                assertThat(served).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void answersARequestPastItsDeadlineWith408And3007AndKeepsServing() {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(Duration.ofMillis(300)))) {
            long t0 = System.nanoTime();
            assertError(s.post(CF_PATH, null, "BLOCK".getBytes(StandardCharsets.UTF_8)), 408, 3007);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closeLetsAnInFlightRequestFinish() throws Exception {
        TestServer s = new TestServer(RestConfig.defaults().withShutdownGrace(Duration.ofSeconds(5)));
        CompletableFuture<HttpResponse<String>> inFlight = s.client.sendAsync(s.request(CF_PATH)
                .POST(HttpRequest.BodyPublishers.ofByteArray("BLOCK".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(s.useCase.blocked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s.server::close);
        Thread.sleep(300);
        assertThat(closing).isNotDone();
        s.useCase.release.countDown();
        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        closing.get();
        s.close();
    }
}
