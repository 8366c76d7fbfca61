package dev.argus.grpc;

import static dev.argus.grpc.GrpcClassificationServiceTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real Netty server on 127.0.0.1 and a random port, with a fake use case that looks at sizes only. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcServerIT {
    private static final int MIB = 1024 * 1024;
    private final FakeUseCase fake = new FakeUseCase();
    private GrpcServer server;
    private ManagedChannel channel;

    @BeforeAll
    void start() {
        server = GrpcServer.start(GrpcConfig.defaults().withAddress("127.0.0.1", 0), fake);
        channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private ClassifierGrpc.ClassifierBlockingStub stub() {
        return ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ClassifyRequest bytes(int n) {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[n])).build();
    }

    @Test
    void bindsARandomPortAndReportsHealth() {
        assertThat(server.port()).isPositive();
        server.setServing(true);
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void acceptsA9MiBImage() {
        ClassifyResponse r = stub().classify(bytes(9 * MIB));
        assertThat(r.getClassifications(0).getLabel()).isEqualTo("BYTES " + 9 * MIB);
    }

    @Test
    void refusesA20MiBMessageNamingTheLimit() {
        StatusRuntimeException e = failure(() -> stub().classify(bytes(20 * MIB)));
        System.out.println("20 MiB request: " + e.getStatus());
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).contains(String.valueOf(16 * MIB));
        // The channel is still usable afterwards.
        assertThat(stub().classify(bytes(10)).getClassificationsCount()).isEqualTo(5);
    }

    @Test
    void forwardsThroughGrpcImageClassifier() {
        try (GrpcImageClassifier c = new GrpcImageClassifier(GrpcClientConfig.of("127.0.0.1:" + server.port()))) {
            assertThat(c.classify(List.of(new byte[77], new byte[0]), ClassifyOptions.defaults()))
                    .satisfiesExactly(
                            ok -> assertThat(ok.orThrow().top().label()).isEqualTo("BYTES 77"),
                            bad -> assertThatThrownBy(bad::orThrow).isInstanceOfSatisfying(ArgusException.class,
                                    x -> assertThat(x.code()).isEqualTo(ErrorCode.INVALID_INPUT)));
            assertThat(c.info().model()).isEqualTo("fake/model");
        }
    }

    @Test
    void aBackendThatIsDownIsRemoteFailureAfterRetries() throws IOException {
        int freePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        try (GrpcImageClassifier c = new GrpcImageClassifier(GrpcClientConfig.of("127.0.0.1:" + freePort).withRetries(1))) {
            assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                    .hasMessageContaining("unavailable");
        }
    }

    @Test
    void servesOverTlsWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        String why = SelfSigned.generate(cert, key);
        Assumptions.assumeTrue(why == null, () -> {
            System.out.println("SKIPPED TLS test: " + why);
            return why;
        });
        GrpcConfig tls = GrpcConfig.defaults().withAddress("127.0.0.1", 0).withTls(cert, key).withAuthToken("tls-token");
        try (GrpcServer secure = GrpcServer.start(tls, fake)) {
            String target = "127.0.0.1:" + secure.port();
            try (GrpcImageClassifier c = new GrpcImageClassifier(GrpcClientConfig.of(target).withTls(cert).withToken("tls-token"))) {
                assertThat(c.classify(List.of(new byte[12]), ClassifyOptions.defaults()).get(0).orThrow().top().label())
                        .isEqualTo("BYTES 12");
            }
            try (GrpcImageClassifier plaintext = new GrpcImageClassifier(GrpcClientConfig.of(target).withRetries(0).withToken("tls-token"))) {
                assertThatThrownBy(() -> plaintext.classify(List.of(new byte[12]), ClassifyOptions.defaults()))
                        .isInstanceOf(ArgusException.class);
            }
            try (GrpcImageClassifier untrusting = new GrpcImageClassifier(GrpcClientConfig.of(target).withRetries(0).withTls(null))) {
                assertThatThrownBy(() -> untrusting.classify(List.of(new byte[12]), ClassifyOptions.defaults()))
                        .isInstanceOf(ArgusException.class);
            }
        }
    }

    /** Makes a self-signed certificate for 127.0.0.1/localhost with the openssl CLI. */
    static final class SelfSigned {
        private SelfSigned() {
        }

        /** Null on success, else why not. */
        static String generate(Path cert, Path key) throws InterruptedException {
            try {
                Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(cert)) {
                    return "openssl could not make a certificate: " + out;
                }
                return null;
            } catch (IOException e) {
                return "openssl CLI not available (" + e.getMessage() + ")";
            }
        }
    }

    @Test
    void callsWaitingForMessageMemoryDoNotStallTheAdmittedCallOnTheSameConnection() throws Exception {
        // Memory for one 4 MiB call at a time; four 3 MiB calls at once on one connection. A waiting call's bytes sit
        // unread in the connection's flow-control window; they must not keep the admitted call's bytes out.
        GrpcConfig one = GrpcConfig.defaults().withAddress("127.0.0.1", 0).withMaxInboundMessageBytes(4 * MIB)
                .withLimits(8L * MIB + 100_000, 32, java.time.Duration.ofMinutes(30));
        try (GrpcServer small = GrpcServer.start(one, fake)) {
            ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + small.port(), InsecureChannelCredentials.create()).build();
            try {
                java.util.List<java.util.concurrent.CompletableFuture<Throwable>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    java.util.concurrent.CompletableFuture<Throwable> done = new java.util.concurrent.CompletableFuture<>();
                    ClassifierGrpc.newStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).classify(bytes(3 * MIB), GrpcServerTest.observer(done));
                    calls.add(done);
                }
                for (java.util.concurrent.CompletableFuture<Throwable> c : calls) {
                    assertThat(c.get(40, TimeUnit.SECONDS)).isNull();
                }
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCompressedMessageKeepsItsWholeShareWhileAPlainOneGivesBackWhatItDoesNotNeed() throws Exception {
        // gzip hides the message's size until it is inflated (a 16 MiB image can ride in a few KB), so only a message
        // of known length may give back part of its grant
        GrpcConfig config = GrpcConfig.defaults().withAddress("127.0.0.1", 0).withMaxInboundMessageBytes(4 * MIB)
                .withLimits(64L * MIB, 32, java.time.Duration.ofMinutes(30));
        for (boolean gzip : new boolean[] {false, true}) {
            fake.gate = new java.util.concurrent.CountDownLatch(1);
            fake.entered.set(0);
            try (GrpcServer s = GrpcServer.start(config, fake)) {
                ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + s.port(), InsecureChannelCredentials.create()).build();
                try {
                    java.util.concurrent.CompletableFuture<Throwable> done = new java.util.concurrent.CompletableFuture<>();
                    ClassifierGrpc.ClassifierStub stub = ClassifierGrpc.newStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
                    (gzip ? stub.withCompression("gzip") : stub).classify(bytes(100_000), GrpcServerTest.observer(done));
                    while (fake.entered.get() < 1) {
                        Thread.sleep(5);
                    }
                    if (gzip) {
                        assertThat(s.messageBytesInFlight()).as("compressed: the whole share").isGreaterThanOrEqualTo(8L * MIB);
                    } else {
                        assertThat(s.messageBytesInFlight()).as("plain: twice the message").isLessThan(MIB);
                    }
                    fake.gate.countDown();
                    assertThat(done.get(20, TimeUnit.SECONDS)).isNull();
                } finally {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
        fake.gate = null;
    }
}
