package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RestServerLifecycleTest {

    @Test
    void reportsAPortInUseAsAConfigurationErrorNamingIt() {
        try (TestServer first = new TestServer()) {
            int port = first.server.port();
            RestServer second = new RestServer(RestConfig.defaults().withPort(port), new FakeUseCase(), () -> true);
            assertThatThrownBy(second::start).isInstanceOf(ArgusException.class)
                    .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("in use");
            second.close();
        }
    }

    @Test
    void closeIsIdempotentAndAClosedServerCannotStart() {
        RestServer s = new RestServer(RestConfig.defaults().withPort(0), new FakeUseCase(), () -> true).start();
        assertThat(s.port()).isPositive();
        s.close();
        s.close();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerThatNeverStartedClosesQuietly() {
        new RestServer(RestConfig.defaults(), new FakeUseCase(), () -> false).close();
    }

    /**
     * Ready, a connection is kept for the next request; not ready (starting, or shutting down while it still serves),
     * each answer says {@code Connection: close} and the server closes the connection after it.
     */
    @Test
    void whileNotReadyEachAnswerClosesItsConnection() throws Exception {
        try (TestServer t = new TestServer(); Socket socket = new Socket("127.0.0.1", t.server.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            String first = exchange(socket, in);
            assertThat(first).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
            String second = exchange(socket, in);
            assertThat(second).as("the same connection, kept").startsWith("HTTP/1.1 200")
                    .doesNotContainIgnoringCase("connection: close");
            t.ready.set(false);
            String last = exchange(socket, in);
            assertThat(last).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            assertThat(in.read()).as("the server closed the connection after the answer").isEqualTo(-1);
        }
    }

    /** Sends a liveness request on {@code socket} and reads its answer (headers, then the declared body). */
    private static String exchange(Socket socket, InputStream in) throws IOException {
        socket.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: argus\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("an answer before the connection closed").isNotNegative();
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return headers;
    }
}
