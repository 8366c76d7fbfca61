package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ByteValues;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyBatchRequest;
import dev.argus.grpc.v1.ClassifyBatchResponse;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import dev.argus.grpc.v1.GetModelRequest;
import dev.argus.grpc.v1.Image;
import dev.argus.grpc.v1.ModelInfo;
import dev.argus.domain.LabelStyle;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestImages;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RPC against the real engine on the probe model, over a real Netty server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcEndToEndIT {
    private ProbeServer probe;
    private ManagedChannel channel;

    @BeforeAll
    void start() {
        probe = ProbeServer.probe();
        channel = Grpc.newChannelBuilder(probe.target(), InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        probe.close();
    }

    private ClassifierGrpc.ClassifierBlockingStub stub() {
        return ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static List<ProbeCase> probes() {
        return ProbeCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void classifiesEachProbeImageAsDesigned(ProbeCase probe) {
        ClassifyResponse r = stub().classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(probe.bytes())).build());
        assertThat(r.getClassifications(0).getClassIndex()).as(probe.why()).isEqualTo(probe.expectedClass());
        assertThat(r.getClassifications(0).getLabel()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        assertThat(r.getBackend()).isEqualTo("onnx");
        assertThat(r.getModel()).isEqualTo("argus/probe");
        assertThat(r.getTimings().getInferenceNanos()).isPositive();
    }

    @Test
    void numbersGiveTheSameAnswerAsBytes() {
        byte[] file = ProbeCase.all().get(0).bytes();
        ByteValues.Builder numbers = ByteValues.newBuilder();
        for (byte b : file) {
            numbers.addValues(b & 0xff);
        }
        ClassifyResponse viaNumbers = stub().classify(ClassifyRequest.newBuilder().setNumbers(numbers).build());
        ClassifyResponse viaBytes = stub().classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(file)).build());
        assertThat(viaNumbers.getClassificationsList()).isEqualTo(viaBytes.getClassificationsList());
    }

    @Test
    void anUndecodableImageIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().classify(
                ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(TestImages.textFile())).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException bomb = catchThrowableOfType(StatusRuntimeException.class, () -> stub().classify(
                ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(TestImages.pngHeaderOnly(100_000, 100_000))).build()));
        assertThat(bomb.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void batchAndStreamAgreeWithSingleCalls() throws InterruptedException {
        List<ProbeCase> cases = ProbeCase.all();
        ClassifyBatchRequest.Builder batch = ClassifyBatchRequest.newBuilder();
        cases.forEach(c -> batch.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(c.bytes()))));
        batch.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(TestImages.truncatedJpeg())));
        ClassifyBatchResponse b = stub().classifyBatch(batch.build());
        assertThat(b.getOutcomesCount()).isEqualTo(cases.size() + 1);
        for (int i = 0; i < cases.size(); i++) {
            assertThat(b.getOutcomes(i).getResult().getClassifications(0).getClassIndex()).isEqualTo(cases.get(i).expectedClass());
        }
        assertThat(b.getOutcomes(cases.size()).getError().getReason()).isEqualTo("INVALID_INPUT");

        List<ClassifyStreamResponse> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ClassifyStreamRequest> requests = ClassifierGrpc.newStub(channel).classifyStream(new StreamObserver<>() {
            @Override
            public void onNext(ClassifyStreamResponse value) {
                got.add(value);
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
        for (ProbeCase c : cases) {
            requests.onNext(ClassifyStreamRequest.newBuilder().setId(c.name())
                    .setRequest(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(c.bytes()))).build());
        }
        requests.onCompleted();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(got.get(i).getId()).isEqualTo(cases.get(i).name());
            assertThat(got.get(i).getResult().getClassifications(0).getClassIndex()).isEqualTo(cases.get(i).expectedClass());
        }
    }

    @Test
    void describesTheModelAndIsServing() {
        ModelInfo info = stub().getModel(GetModelRequest.getDefaultInstance());
        assertThat(info.getModel()).isEqualTo("argus/probe");
        assertThat(info.getBackend()).isEqualTo("onnx");
        assertThat(info.getEngine()).containsIgnoringCase("onnx");
        assertThat(info.getLabelCount()).isEqualTo(1000);
        assertThat(info.getInput().getWidth()).isEqualTo(224);
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("argus.v1.Classifier").build())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }
}
