package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.TestServer.CF_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their body slowly or not at all (slowloris) are cut off with 408/3007 by the request's deadline
 * instead of holding an admission for as long as they like, and the server goes on serving others.
 */
class SlowClientTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private static Socket open(TestServer s, String path, long contentLength) throws IOException {
        Socket socket = new Socket("127.0.0.1", s.uri("/").getPort());
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: " + contentLength
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The status line and body the server answered, or what happened instead. */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        StringBuilder text = new StringBuilder();
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("}") > 0) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            return "no answer within the socket timeout: " + text;
        }
        return text.toString();
    }

    /** Sends {@code bytes} body bytes (the PNG, repeated) one at a time, {@code pauseMillis} apart. */
    private static Thread trickle(OutputStream out, int bytes, long pauseMillis) {
        byte[] body = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            body[i] = PNG[i % PNG.length];
        }
        return trickle(out, body, pauseMillis);
    }

    /** Sends {@code bytes} one at a time, {@code pauseMillis} apart, until the server hangs up. */
    private static Thread trickle(OutputStream out, byte[] bytes, long pauseMillis) {
        Thread trickler = new Thread(() -> {
            try {
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(pauseMillis);
                }
            } catch (IOException | InterruptedException e) {
                // the server hung up, as it should
            }
        });
        trickler.setDaemon(true);
        trickler.start();
        return trickler;
    }

    @Test
    void aBodyTrickledByteByByteGets408AndFreesItsAdmission() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(TIMEOUT).withMaxConcurrentRequests(1))) {
            long t0 = System.nanoTime();
            try (Socket slow = open(s, CF_PATH, 1000)) {
                OutputStream out = slow.getOutputStream();
                Thread trickler = trickle(out, 60, 250);
                String answer = answer(slow);
                assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":3007").contains("did not arrive in time");
                trickler.interrupt();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("cut off by the deadline, not after 60 bytes x 250 ms")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).as("the one admission is free again").isEqualTo(200);
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthGets408AtTheDeadlineNotAtTheIdleTimeout() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(TIMEOUT).withMaxConcurrentRequests(2))) {
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket socket = open(s, CF_PATH, 100_000);
                socket.getOutputStream().write(PNG, 0, 10);
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            long t0 = System.nanoTime();
            for (Socket socket : stalled) {
                assertThat(answer(socket)).startsWith("HTTP/1.1 408").contains("\"code\":3007");
                socket.close();
            }
            // The connection's idle timeout is the request timeout + 5 s; the body read gives up at the deadline.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusSeconds(3));
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
            assertThat(s.post("/v1/classify", "image/png", PNG).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBodyBelowTheMinimumRateGets408AfterTheGracePeriodLongBeforeTheDeadline() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(Duration.ofSeconds(60)))) {
            long t0 = System.nanoTime();
            try (Socket slow = open(s, CF_PATH, 1000)) {
                OutputStream out = slow.getOutputStream();
                Thread trickler = trickle(out, 200, 100); // 10 bytes/s, far below 1 KiB/s
                assertThat(answer(slow)).startsWith("HTTP/1.1 408").contains("\"code\":3007");
                trickler.interrupt();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("cut off by the rate, not the 60 s deadline")
                    .isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void theRateCountsOnlyAfterTheGracePeriod() {
        assertThat(RequestBody.tooSlow(15, 30_000_000L)).as("15 bytes read 30 ms late on a busy server").isFalse();
        assertThat(RequestBody.tooSlow(1_000, 3_000_000_000L)).as("333 bytes/s after 3 s").isTrue();
        assertThat(RequestBody.tooSlow(4_000, 3_000_000_000L)).as("1333 bytes/s").isFalse();
    }
    @Test
    void headersTrickledByteByByteGet408AtTheHeaderTimeoutThoughEachByteBeatsTheIdleTimeout() throws Exception {
        RestConfig config = RestConfig.defaults().withConnections(1000, Duration.ofMillis(800));
        try (TestServer s = new TestServer(config); Socket slow = new Socket("127.0.0.1", s.uri("/").getPort())) {
            slow.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            // 40 header lines at 100 ms a byte would take minutes; the idle timeout (35 s) never fires
            Thread trickler = trickle(slow.getOutputStream(), ("GET /v2/health/live HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Slow: a\r\n".repeat(40) + "\r\n").getBytes(StandardCharsets.US_ASCII), 100);
            String answer = answer(slow);
            trickler.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":3007").contains("argus.rest.header-timeout-ms");
            assertThat(slow.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("cut off at the header timeout (+ one sweep)")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(s.post(CF_PATH, null, PNG).statusCode()).as("others are served").isEqualTo(200);
        }
    }

    @Test
    void aKeepAliveConnectionMayRestLongerThanTheHeaderTimeoutThenSendItsNextRequest() throws Exception {
        RestConfig config = RestConfig.defaults().withConnections(1000, Duration.ofMillis(300));
        try (TestServer s = new TestServer(config); Socket socket = new Socket("127.0.0.1", s.uri("/").getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 2; i++) {
                out.write(("POST " + CF_PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: "
                        + PNG.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(PNG);
                out.flush();
                assertThat(answer(socket)).startsWith("HTTP/1.1 200");
                Thread.sleep(1200); // resting, with no request begun: not the header deadline's business
            }
        }
    }

    @Test
    void aNewConnectionThatSendsNothingIsClosedAtTheHeaderTimeoutFreeingItsPlace() throws Exception {
        RestConfig config = RestConfig.defaults().withConnections(1, Duration.ofMillis(600));
        try (TestServer s = new TestServer(config); Socket silent = new Socket("127.0.0.1", s.uri("/").getPort())) {
            silent.setSoTimeout(15_000);
            long t0 = System.nanoTime();
            assertThat(answer(silent)).as("408, then the close").startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("closed at the header timeout, not the idle timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(s.get("/v2/health/live").statusCode()).as("the one place is free again").isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        RestConfig config = RestConfig.defaults().withConnections(2, Duration.ofSeconds(10));
        try (TestServer s = new TestServer(config)) {
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket socket = new Socket("127.0.0.1", s.uri("/").getPort());
                socket.setSoTimeout(15_000);
                held.add(socket);
            }
            Thread.sleep(300); // both accepted: the limit is reached and the server stops accepting
            java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> third =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> s.get("/v2/health/live"));
            Thread.sleep(700);
            assertThat(third).as("the third connection waits in the accept queue").isNotDone();
            held.get(0).close();
            assertThat(third.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
