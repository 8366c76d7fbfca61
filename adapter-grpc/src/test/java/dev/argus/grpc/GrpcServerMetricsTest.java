package dev.argus.grpc;

import static dev.argus.grpc.GrpcClassificationServiceTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@link GrpcServerMetrics} counts of real calls: by method and status, messages, in flight, handling time. */
class GrpcServerMetricsTest {
    private final FakeUseCase fake = new FakeUseCase();

    private static ClassifyRequest image() {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[42])).build();
    }

    private static GrpcServerMetrics.MethodCalls calls(InProcess grpc, String service, String method) {
        return grpc.server.metrics().snapshot().stream().filter(c -> c.service().equals(service) && c.method().equals(method))
                .findFirst().orElseThrow(() -> new AssertionError("no " + service + "/" + method + " in "
                        + grpc.server.metrics().snapshot()));
    }

    @Test
    void countsCallsByMethodAndStatusCodeWithTheirHandlingTime() throws Exception {
        try (InProcess grpc = new InProcess(GrpcConfig.defaults().withAuthToken("secret"), fake)) {
            Metadata token = new Metadata();
            token.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer secret");
            ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(grpc.channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
            stub.classify(image());
            stub.classify(image());
            fake.failOnce = ArgusException.invalidInput("not an image");
            assertThat(failure(() -> stub.classify(image())).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(failure(() -> ClassifierGrpc.newBlockingStub(grpc.channel).classify(image())).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            HealthGrpc.newBlockingStub(grpc.channel).check(HealthCheckRequest.getDefaultInstance());

            GrpcServerMetrics.MethodCalls classify = calls(grpc, "argus.v1.Classifier", "Classify");
            assertThat(classify.type()).isEqualTo("unary");
            assertThat(classify.started()).isEqualTo(4);
            assertThat(classify.handled()).containsEntry("OK", 2L).containsEntry("INVALID_ARGUMENT", 1L)
                    .containsEntry("UNAUTHENTICATED", 1L).hasSize(3);
            assertThat(classify.received()).as("the refused call's message is never read").isEqualTo(3);
            assertThat(classify.sent()).isEqualTo(2);
            assertThat(classify.inFlight()).isZero();
            assertThat(classify.latencyBuckets()).hasSize(GrpcServerMetrics.latencyBounds().size() + 1);
            assertThat(classify.latencyBuckets().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
            assertThat(classify.latencySeconds()).isGreaterThan(0).isLessThan(30);
            assertThat(calls(grpc, "grpc.health.v1.Health", "Check").handled()).containsEntry("OK", 1L);
        }
    }

    @Test
    void countsAStreamsMessagesEachWay() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<ClassifyStreamRequest> requests = ClassifierGrpc.newStub(grpc.channel).classifyStream(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(ClassifyStreamResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            for (String id : new String[] {"a", "b", "c"}) {
                requests.onNext(ClassifyStreamRequest.newBuilder().setId(id).setRequest(image()).build());
            }
            requests.onCompleted();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            GrpcServerMetrics.MethodCalls stream = calls(grpc, "argus.v1.Classifier", "ClassifyStream");
            assertThat(stream.type()).isEqualTo("bidi_stream");
            assertThat(stream.received()).isEqualTo(3);
            assertThat(stream.sent()).isEqualTo(3);
            assertThat(stream.handled()).containsEntry("OK", 1L);
        }
    }

    @Test
    void aCallIsInFlightUntilItsHandlerLetsGoAndOneTheClientGaveUpCountsAsTheClientSawIt() throws Exception {
        fake.gate = new CountDownLatch(1);
        try (InProcess grpc = new InProcess(fake)) {
            ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(grpc.channel);
            Thread caller = new Thread(() -> assertThat(failure(() -> stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .classify(image())).getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            caller.start();
            long until = System.nanoTime() + 10_000_000_000L;
            while (fake.entered.get() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(calls(grpc, "argus.v1.Classifier", "Classify").inFlight()).isEqualTo(1);
            caller.join(10_000);
            assertThat(calls(grpc, "argus.v1.Classifier", "Classify").inFlight()).as("its handler still holds it").isEqualTo(1);
            fake.gate.countDown(); // the handler answers, late
            until = System.nanoTime() + 10_000_000_000L;
            while (calls(grpc, "argus.v1.Classifier", "Classify").inFlight() > 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            GrpcServerMetrics.MethodCalls classify = calls(grpc, "argus.v1.Classifier", "Classify");
            assertThat(classify.inFlight()).isZero();
            assertThat(classify.handled()).containsOnly(java.util.Map.entry("DEADLINE_EXCEEDED", 1L));
            stub.classify(image());
            assertThat(calls(grpc, "argus.v1.Classifier", "Classify").handled()).containsEntry("DEADLINE_EXCEEDED", 1L)
                    .containsEntry("OK", 1L);
        }
    }
}
