package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 8 of the review: REST can be served over TLS, as gRPC can, so that bearer tokens do not travel in clear. */
class TlsTest {
    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI (installed by the test setup). */
    private void selfSigned(Path cert, Path key) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl CLI not available (" + e.getMessage() + "); .ci/setup-test-data installs it");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    }

    private static HttpClient trusting(Path cert) throws Exception {
        return HttpClient.newBuilder().sslContext(trustingContext(cert)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static SSLContext trustingContext(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("argus", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** Sends a keep-alive {@code GET /v2/health/live} on {@code socket} and reads its answer up to the body. */
    private static String live(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        StringBuilder answer = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (!answer.toString().contains("{\"live\":true}")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            answer.append((char) b);
        }
        return answer.toString();
    }

    /**
     * Each HTTPS connection takes one place under the limit, as a plain one does. (Jetty 11 counted the TLS connection
     * and the HTTP one above it: a limit of 4 served 3 HTTPS connections, of 10 served 6.)
     */
    @Test
    void anHttpsConnectionCountsOnceAgainstTheConnectionLimit() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        RestConfig config = RestConfig.defaults().withTls(cert, key).withConnections(4, Duration.ofSeconds(10));
        try (TestServer s = new TestServer(config)) {
            SSLSocketFactory factory = trustingContext(cert).getSocketFactory();
            List<SSLSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", s.server.port());
                    socket.setSoTimeout(10_000);
                    held.add(socket);
                    assertThat(live(socket)).as("connection %d of 4 is served", i + 1).startsWith("HTTP/1.1 200");
                }
                HttpClient https = trusting(cert);
                URI live = URI.create("https://127.0.0.1:" + s.server.port() + "/v2/health/live");
                CompletableFuture<HttpResponse<String>> third = https.sendAsync(HttpRequest.newBuilder(live)
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(700);
                assertThat(third).as("the third connection waits in the accept queue").isNotDone();
                held.get(0).close();
                assertThat(third.get(15, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            } finally {
                for (SSLSocket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void servesHttpsWithPemFilesAndRefusesPlainHttpOnThatPort() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        try (TestServer s = new TestServer(RestConfig.defaults().withTls(cert, key).withAuthTokens(Set.of("tls-token")))) {
            HttpClient https = trusting(cert);
            URI live = URI.create("https://127.0.0.1:" + s.server.port() + "/v2/health/live");
            assertThat(https.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> classified = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.server.port()
                            + TestServer.CF_PATH)).header("Authorization", "Bearer tls-token")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(CloudflareRouteTest.PNG)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(classified.statusCode()).as(classified.body()).isEqualTo(200);
            assertThat(s.server.scheme()).isEqualTo("https");
            assertThatThrownBy(() -> s.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server.port()
                    + "/v2/health/live")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTraditionalRsaKeyIsRefusedSayingHowToConvertIt() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        Path pkcs1 = dir.resolve("rsa.pem");
        Process p = new ProcessBuilder("openssl", "rsa", "-in", key.toString(), "-out", pkcs1.toString(), "-traditional")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        assertThatThrownBy(() -> PemKeyStore.load(cert, pkcs1)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> RestConfig.defaults().withTls(cert, dir.resolve("missing.pem")))
                .hasMessageContaining("does not exist");
    }
}
