package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
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
import dev.argus.grpc.v1.ImageOutcome;
import dev.argus.grpc.v1.LabelStyle;
import dev.argus.grpc.v1.ModelInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Classifier service over the in-process transport, with a fake use case. */
class GrpcClassificationServiceTest {
    private final FakeUseCase fake = new FakeUseCase();
    private InProcess grpc;
    private ClassifierGrpc.ClassifierBlockingStub stub;

    @BeforeEach
    void start() {
        grpc = new InProcess(fake);
        stub = ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        grpc.close();
    }

    private static ClassifyRequest encoded(int size) {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[size])).build();
    }

    @Test
    void classifiesAnEncodedImage() {
        ClassifyResponse r = stub.classify(encoded(1234));
        assertThat(r.getClassificationsCount()).isEqualTo(5);
        assertThat(r.getClassifications(0).getLabel()).isEqualTo("BYTES 1234");
        assertThat(r.getClassifications(0).getScore()).isEqualTo(0.75);
        assertThat(r.getClassifications(0).getClassIndex()).isEqualTo(234);
        assertThat(r.getBackend()).isEqualTo("fake");
        assertThat(r.getModel()).isEqualTo("fake/model");
        assertThat(r.getTimings().getTotalNanos()).isEqualTo(6);
    }

    @Test
    void honoursTopKAndLabelStyle() {
        ClassifyResponse r = stub.classify(encoded(10).toBuilder().setTopK(3).setLabelStyle(LabelStyle.LABEL_STYLE_IMAGENET).build());
        assertThat(r.getClassificationsCount()).isEqualTo(3);
        assertThat(r.getClassifications(1).getLabel()).isEqualTo("Other 1, synonym");
        ClassifyResponse cf = stub.classify(encoded(10).toBuilder().setTopK(2).build());
        assertThat(cf.getClassifications(1).getLabel()).isEqualTo("OTHER 1");
    }

    @Test
    void classifiesCloudflareNumbers() {
        ClassifyResponse r = stub.classify(ClassifyRequest.newBuilder()
                .setNumbers(ByteValues.newBuilder().addValues(137).addValues(80).addValues(78)).build());
        assertThat(r.getClassifications(0).getLabel()).isEqualTo("BYTES 3");
    }

    @Test
    void rejectsNumbersAbove255NamingTheIndex() {
        StatusRuntimeException e = failure(() -> stub.classify(ClassifyRequest.newBuilder()
                .setNumbers(ByteValues.newBuilder().addValues(1).addValues(2).addValues(256)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("image[2] = 256 is above 255");
        assertThat(Statuses.reason(e)).isEqualTo("argus.dev/INVALID_INPUT");
        assertThat(Statuses.badFields(e)).containsExactly("numbers.values[2]");
    }

    @Test
    void rejectsFractionalNumbers() {
        StatusRuntimeException e = failure(() -> stub.classify(ClassifyRequest.newBuilder()
                .setNumbers(ByteValues.newBuilder().addValues(1.5)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Statuses.badFields(e)).containsExactly("numbers.values[0]");
    }

    @Test
    void rejectsARequestWithoutImage() {
        StatusRuntimeException e = failure(() -> stub.classify(ClassifyRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("encoded");
        assertThat(fake.calls).hasValue(0);
    }

    @Test
    void rejectsTopKOutOfRangeNamingTheField() {
        StatusRuntimeException e = failure(() -> stub.classify(encoded(5).toBuilder().setTopK(1001).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Statuses.badFields(e)).containsExactly("top_k");
    }

    @Test
    void imageOverTheByteLimitIsResourceExhausted() {
        StatusRuntimeException e = failure(() -> stub.classify(encoded(10 * 1024 * 1024 + 1)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Statuses.reason(e)).isEqualTo("argus.dev/INPUT_TOO_LARGE");
        assertThat(e.getStatus().getDescription()).contains("limit is 10485760 bytes");
    }

    static Stream<Arguments> errorCodes() {
        return Stream.of(
                Arguments.of(ErrorCode.INVALID_INPUT, Status.Code.INVALID_ARGUMENT),
                Arguments.of(ErrorCode.INPUT_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED),
                Arguments.of(ErrorCode.OVERLOADED, Status.Code.RESOURCE_EXHAUSTED),
                Arguments.of(ErrorCode.MODEL_UNAVAILABLE, Status.Code.UNAVAILABLE),
                Arguments.of(ErrorCode.TIMEOUT, Status.Code.DEADLINE_EXCEEDED),
                Arguments.of(ErrorCode.INFERENCE_FAILED, Status.Code.INTERNAL),
                Arguments.of(ErrorCode.REMOTE_FAILURE, Status.Code.INTERNAL),
                Arguments.of(ErrorCode.CONFIGURATION, Status.Code.INTERNAL));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("errorCodes")
    void mapsEveryErrorCodeToItsStatusWithErrorInfo(ErrorCode code, Status.Code expected) {
        fake.failure = new ArgusException(code, "it went wrong: " + code);
        StatusRuntimeException e = failure(() -> stub.classify(encoded(10)));
        assertThat(e.getStatus().getCode()).isEqualTo(expected);
        if (code.serverSide()) {
            // the detail (hosts, files, library text) goes to the log; the caller gets a fixed message and a reference
            assertThat(e.getStatus().getDescription()).startsWith(code.publicMessage()).contains("Reference ")
                    .doesNotContain("it went wrong");
        } else {
            assertThat(e.getStatus().getDescription()).isEqualTo("it went wrong: " + code);
        }
        assertThat(Statuses.reason(e)).isEqualTo("argus.dev/" + code.name());
        assertThat(GrpcErrors.codeFor(code)).isEqualTo(expected);
    }

    @Test
    void unexpectedFailureIsInternalWithoutInternals() {
        fake.failure = new IllegalStateException("secret internal detail");
        StatusRuntimeException e = failure(() -> stub.classify(encoded(10)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).doesNotContain("secret").contains("server log");
    }

    @Test
    void batchAnswersEachImageInOrderAndBadOnesFailAlone() {
        ClassifyBatchRequest request = ClassifyBatchRequest.newBuilder()
                .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[7])))
                .addImages(Image.newBuilder().setNumbers(ByteValues.newBuilder().addValues(3).addValues(-1)))
                .addImages(Image.getDefaultInstance())
                .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[10 * 1024 * 1024 + 1])))
                .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[9])))
                .setTopK(2)
                .build();
        ClassifyBatchResponse r = stub.classifyBatch(request);
        List<ImageOutcome> o = r.getOutcomesList();
        assertThat(o).hasSize(5);
        assertThat(o.get(0).getResult().getClassifications(0).getLabel()).isEqualTo("BYTES 7");
        assertThat(o.get(0).getResult().getClassificationsCount()).isEqualTo(2);
        assertThat(o.get(1).getError().getReason()).isEqualTo("INVALID_INPUT");
        assertThat(o.get(1).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(o.get(1).getError().getField()).isEqualTo("images[1].numbers.values[1]");
        assertThat(o.get(1).getError().getMessage()).contains("is negative");
        assertThat(o.get(2).getError().getReason()).isEqualTo("INVALID_INPUT");
        assertThat(o.get(3).getError().getReason()).isEqualTo("INPUT_TOO_LARGE");
        assertThat(o.get(3).getError().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(o.get(4).getResult().getClassifications(0).getLabel()).isEqualTo("BYTES 9");
        assertThat(fake.calls).as("one engine call for the batch").hasValue(1);
    }

    @Test
    void aBatchAboveTheImageLimitIsInvalidArgument() {
        ClassifyBatchRequest.Builder b = ClassifyBatchRequest.newBuilder();
        for (int i = 0; i <= GrpcClassificationService.MAX_BATCH_IMAGES; i++) {
            b.addImages(dev.argus.grpc.v1.Image.newBuilder().setEncoded(com.google.protobuf.ByteString.copyFrom(new byte[4])));
        }
        StatusRuntimeException e = failure(() -> stub.classifyBatch(b.build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("at most " + GrpcClassificationService.MAX_BATCH_IMAGES);
    }

    @Test
    void hugeNumbersAreShownAsTheyWereSent() {
        StatusRuntimeException e = failure(() -> stub.classify(ClassifyRequest.newBuilder()
                .setNumbers(ByteValues.newBuilder().addValues(1).addValues(1e300)).build()));
        assertThat(e.getStatus().getDescription()).contains("image[1] = 1.0E300 is above 255").doesNotContain("9223372036854775807");
    }

    @Test
    void emptyBatchIsInvalidArgument() {
        StatusRuntimeException e = failure(() -> stub.classifyBatch(ClassifyBatchRequest.getDefaultInstance()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void batchFailsAsAWholeWhenTheBackendIsUnavailable() {
        fake.failure = new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "model not loaded");
        StatusRuntimeException e = failure(() -> stub.classifyBatch(ClassifyBatchRequest.newBuilder()
                .addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(new byte[3]))).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void getModelDescribesWhatIsServed() {
        ModelInfo info = stub.getModel(GetModelRequest.getDefaultInstance());
        assertThat(info.getModel()).isEqualTo("fake/model");
        assertThat(info.getBackend()).isEqualTo("fake");
        assertThat(info.getEngine()).isEqualTo("fake engine 1.0");
        assertThat(info.getLabelCount()).isEqualTo(1000);
        assertThat(info.getMaxRequestBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(info.getInput().getWidth()).isEqualTo(224);
        assertThat(info.getInput().getResize()).isEqualTo("short-side-then-center-crop");
        assertThat(info.getInput().getLayout()).isEqualTo("nchw");
        assertThat(info.getInput().getMeanList()).hasSize(3);
        assertThat(info.getInput().getResample()).isEqualTo("bicubic");
    }

    @Test
    void streamEchoesIdsInOrderAndReportsBadItemsWithoutEndingTheStream() throws InterruptedException {
        List<ClassifyStreamResponse> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ClassifyStreamRequest> requests = ClassifierGrpc.newStub(grpc.channel).classifyStream(new StreamObserver<>() {
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
        requests.onNext(ClassifyStreamRequest.newBuilder().setId("a").setRequest(encoded(11)).build());
        requests.onNext(ClassifyStreamRequest.newBuilder().setId("bad").setRequest(ClassifyRequest.newBuilder()
                .setNumbers(ByteValues.newBuilder().addValues(300))).build());
        requests.onNext(ClassifyStreamRequest.newBuilder().setId("c").setRequest(encoded(13)).build());
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).extracting(ClassifyStreamResponse::getId).containsExactly("a", "bad", "c");
        assertThat(got.get(0).getResult().getClassifications(0).getLabel()).isEqualTo("BYTES 11");
        assertThat(got.get(1).getError().getReason()).isEqualTo("INVALID_INPUT");
        assertThat(got.get(1).getError().getField()).isEqualTo("request.numbers.values[0]");
        assertThat(got.get(2).getResult().getClassifications(0).getLabel()).isEqualTo("BYTES 13");
    }

    static StatusRuntimeException failure(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call should fail").isNotNull();
        return e;
    }
}
