package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelStyle;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The forwarding adapter against an in-process server with a fake use case. */
class GrpcImageClassifierTest {
    private final FakeUseCase fake = new FakeUseCase();

    private static GrpcImageClassifier client(InProcess grpc, GrpcClientConfig config) {
        return new GrpcImageClassifier(GrpcImageClassifier.configure(InProcessChannelBuilder.forName(grpc.name), config).build(), config);
    }

    private static GrpcImageClassifier client(InProcess grpc) {
        return client(grpc, GrpcClientConfig.of("in-process"));
    }

    @Test
    void classifiesABatchAndReportsItselfAsTheGrpcBackend() throws Exception {
        try (InProcess grpc = new InProcess(fake); GrpcImageClassifier c = client(grpc)) {
            List<ClassificationOutcome> out = c.classify(List.of(new byte[5], "hello".getBytes(), new byte[0]),
                    ClassifyOptions.defaults().withTopK(3).withLabelStyle(LabelStyle.IMAGENET));
            assertThat(out).hasSize(3);
            ClassificationResult r = out.get(0).orThrow();
            assertThat(r.top().label()).isEqualTo("BYTES 5");
            assertThat(r.top().classIndex()).isEqualTo(5);
            assertThat(r.classifications()).hasSize(3);
            assertThat(r.classifications().get(1).label()).isEqualTo("Other 1, synonym");
            assertThat(r.backend()).isEqualTo("grpc");
            assertThat(r.model()).isEqualTo("fake/model");
            assertThat(r.timings().inferenceNanos()).isEqualTo(2);
            assertThat(out.get(2)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        }
    }

    @Test
    void splitsBatchesThatDoNotFitOneMessage() throws Exception {
        try (InProcess grpc = new InProcess(fake);
             GrpcImageClassifier c = client(grpc, GrpcClientConfig.of("in-process").withMaxMessageBytes(1024 * 1024))) {
            byte[] big = new byte[400 * 1024];
            List<ClassificationOutcome> out = c.classify(List.of(big, big, big, big, big), ClassifyOptions.defaults());
            assertThat(out).hasSize(5).allSatisfy(o -> assertThat(o.orThrow().top().label()).isEqualTo("BYTES " + big.length));
            assertThat(fake.calls.get()).isEqualTo(3);
        }
    }

    @Test
    void infoComesFromGetModelOnce() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            int before = fake.modelCalls.get(); // the server names its one model from the use case when it starts
            try (GrpcImageClassifier c = client(grpc)) {
                assertThat(c.info().backend()).isEqualTo("grpc");
                assertThat(c.info().model()).isEqualTo("fake/model");
                assertThat(c.info().labelCount()).isEqualTo(1000);
                assertThat(c.info().engine()).contains("in-process").contains("fake").contains("fake engine 1.0");
                assertThat(c.info().preprocess()).isEmpty();
                // what the remote model records travels with it
                assertThat(c.info().precision()).contains("int8");
                assertThat(c.info().properties()).containsEntry("quantization.agreement.top1", "0.9950");
                assertThat(fake.modelCalls).hasValue(before + 1);
            }
        }
    }

    static Stream<Arguments> remoteFailures() {
        return Stream.of(ErrorCode.values()).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("remoteFailures")
    void remoteFailuresComeBackAsTheSameErrorCode(ErrorCode code) throws Exception {
        fake.failure = new ArgusException(code, "remote says " + code);
        try (InProcess grpc = new InProcess(fake); GrpcImageClassifier c = client(grpc, GrpcClientConfig.of("in-process").withRetries(0))) {
            var failure = assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(code));
            if (code.serverSide()) {
                // the remote logs its own internals and sends a fixed message with a reference (review finding 7)
                failure.hasMessageContaining(code.publicMessage()).hasMessageContaining("Reference ")
                        .hasMessageNotContaining("remote says");
            } else {
                failure.hasMessageContaining("remote says " + code);
            }
        }
    }

    @Test
    void retriesWhenTheRemoteIsUnavailable() throws Exception {
        fake.failOnce = new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "still loading");
        try (InProcess grpc = new InProcess(fake); GrpcImageClassifier c = client(grpc)) {
            assertThat(c.classify(List.of(new byte[3]), ClassifyOptions.defaults()).get(0).orThrow().top().label()).isEqualTo("BYTES 3");
            assertThat(fake.calls).hasValue(2);
        }
    }

    @Test
    void givesUpAfterTheConfiguredRetries() throws Exception {
        fake.failure = new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "down");
        try (InProcess grpc = new InProcess(fake); GrpcImageClassifier c = client(grpc, GrpcClientConfig.of("in-process").withRetries(2))) {
            assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
            assertThat(fake.calls).hasValue(3);
        }
    }

    @Test
    void aSlowRemoteFailsWithTimeoutAtTheDeadline() throws Exception {
        fake.gate = new java.util.concurrent.CountDownLatch(1);
        try (InProcess grpc = new InProcess(fake);
             GrpcImageClassifier c = client(grpc, GrpcClientConfig.of("in-process").withDeadline(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                    .hasMessageContaining("in time");
        } finally {
            fake.gate.countDown();
        }
    }

    @Test
    void sendsTheBearerToken() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withAuthToken("tok-123"), fake);
             GrpcImageClassifier good = client(grpc, GrpcClientConfig.of("in-process").withToken("tok-123"));
             GrpcImageClassifier bad = client(grpc, GrpcClientConfig.of("in-process").withToken("nope"))) {
            assertThat(good.classify(List.of(new byte[3]), ClassifyOptions.defaults()).get(0).orThrow().top().label()).isEqualTo("BYTES 3");
            assertThatThrownBy(() -> bad.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                    .hasMessageContaining("UNAUTHENTICATED").hasMessageContaining("token");
        }
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            GrpcImageClassifier c = client(grpc);
            c.close();
            c.close();
            assertThatThrownBy(() -> c.classify(List.of(new byte[3]), ClassifyOptions.defaults()))
                    .isInstanceOf(ArgusException.class).hasMessageContaining("closed");
        }
    }
}
