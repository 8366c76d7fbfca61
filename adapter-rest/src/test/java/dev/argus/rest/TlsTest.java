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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
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
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("argus", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
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
