package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An answer sent before the body was read reaches the client, however it sends: the 413 for a declared length over
 * the limit used to be lost to the reset that closing under an arriving body causes (a client that sends everything
 * before reading always lost it; one that reads while sending, now and then).
 */
@Timeout(120) // a server that stops reading would otherwise hang a test in a write
class LingeringCloseTest {
    private static final int BODY = 8 << 20; // more than the socket buffers on both sides hold

    /** A client that writes the whole body, and only then reads: what it reads. */
    private static String sendAllThenRead(int port, String path, String extraHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extraHeaders
                    + "Content-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            for (int sent = 0; sent < BODY; sent += block.length) {
                out.write(block);
            }
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /** The bytes up to the end of the first answer's body (Content-Length), or to the end of the stream. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            got.write(buf, 0, n);
            String s = got.toString(StandardCharsets.ISO_8859_1);
            int head = s.indexOf("\r\n\r\n");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(s);
            if (head >= 0 && m.find() && s.length() >= head + 4 + Integer.parseInt(m.group(1))) {
                return s;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aClientThatSendsTheWholeRefusedBodyBeforeReadingGetsThe413() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(1 << 20))) {
            String answer = sendAllThenRead(s.server.port(), "/v1/classify", "");
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":3006").contains("exceeds the limit of 1048576 bytes");
            assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void clientsThatReadWhileSendingGetEvery413() throws Exception {
        byte[] body = new byte[BODY];
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(1 << 20))) {
            for (int round = 0; round < 10; round++) {
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    answers.add(CompletableFuture.supplyAsync(() -> s.post("/v1/classify", "application/json", body), clients));
                }
                for (CompletableFuture<HttpResponse<String>> a : answers) {
                    HttpResponse<String> r = a.get(30, TimeUnit.SECONDS); // a reset fails here: "header parser received no bytes"
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anUnauthorizedBodyIsAnsweredToo() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withAuthTokens(java.util.Set.of("secret")))) {
            String answer = sendAllThenRead(s.server.port(), "/v1/classify", "");
            assertThat(answer).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void aClientThatWaitsFor100ContinueIsRefusedWithoutBeingAskedForTheBody() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxBodyBytes(1 << 20));
             Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/classify HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
        }
    }

    /** A bare Jetty server whose one handler answers 413 at once, behind a drain with short limits. */
    private static Server refusing(LingeringClose drain) throws Exception {
        return serving(drain, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // as Javalin answers: a status and a body, never reading the request's (Jetty's own error pages
                // fail the unread body first, and close at once)
                response.setStatus(413);
                response.getHeaders().put("Content-Type", "text/plain");
                response.write(true, java.nio.ByteBuffer.wrap("refused".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
    }

    private static Server serving(LingeringClose drain, Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        drain.setHandler(handler);
        server.setHandler(drain);
        server.start();
        return server;
    }

    @Test
    void aBodyReadToItsEndKeepsTheConnectionForTheNextRequest() throws Exception {
        Server server = refusing(new LingeringClose(Duration.ofSeconds(10), Duration.ofSeconds(5), 1L << 30));
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 2; i++) {
                startPost(out, BODY, BODY);
                assertThat(readAnswer(socket.getInputStream())).as("answer " + (i + 1)).startsWith("HTTP/1.1 413");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void aClientThatStopsSendingIsClosedAfterTheQuietTime() throws Exception {
        Server server = refusing(new LingeringClose(Duration.ofSeconds(30), Duration.ofMillis(300), 1L << 30));
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            startPost(out, BODY, 1000);
            InputStream in = socket.getInputStream();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 413");
            long start = System.nanoTime();
            assertThat(readToEnd(in)).as("the connection closed").isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms until closed").isLessThan(5_000);
        } finally {
            server.stop();
        }
    }

    @Test
    void aHandlerThatEndsWithoutWritingGetsItsStatusSentBeforeTheDrainNotAnErrorPage() throws Exception {
        Server server = serving(new LingeringClose(Duration.ofSeconds(30), Duration.ofSeconds(3), 1L << 30), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(413); // no write at all: the end of the exchange writes the (empty) answer
                callback.succeeded();
                return true;
            }
        });
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            startPost(out, BODY, 1000);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String answer = readAnswer(in);
            assertThat(answer).startsWith("HTTP/1.1 413");
            // before the drain, not after its 3 s of quiet
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms until answered").isLessThan(2_000);
            assertThat(readToEnd(in)).as("the connection closed after the quiet time").isTrue();
        } finally {
            server.stop();
        }
    }

    @Test
    void aClientThatKeepsSendingPastTheByteLimitIsClosed() throws Exception {
        Server server = refusing(new LingeringClose(Duration.ofSeconds(30), Duration.ofSeconds(5), 1L << 20));
        try (Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            startPost(out, 1L << 30, 0);
            boolean refused = false;
            try {
                for (int sent = 0; sent < 64 << 20; sent += 64 * 1024) {
                    out.write(new byte[64 * 1024]);
                }
            } catch (SocketException e) {
                refused = true; // closed under the arriving body, as intended, after 1 MiB
            }
            assertThat(refused).as("the server stopped reading a 1 GiB body after 1 MiB").isTrue();
        } finally {
            server.stop();
        }
    }

    /** A connection to the bare server, reads timing out after 10 s. */
    private static Socket connect(Server server) throws IOException {
        Socket socket = new Socket("127.0.0.1", ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A POST's head declaring {@code declared} body bytes, then the first {@code sent} of them (zeros). */
    private static void startPost(OutputStream out, long declared, int sent) throws IOException {
        out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[sent]);
        out.flush();
    }

    /** True once the stream ends (or resets); false if the read timed out with the connection still open. */
    private static boolean readToEnd(InputStream in) {
        try {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // what follows the answer, if anything
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
