package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finding 6 of the review, and the gRPC part of finding 3: calls are admitted before their messages are read, message
 * memory is bounded across calls, and a ClassifyBatch's images are counted in its wire bytes before it is built.
 */
class GrpcFloodTest {
    private final FakeUseCase fake = new FakeUseCase();

    /** ClassifyBatch as raw bytes, so that the test sends exactly the wire bytes it wants. */
    private static final MethodDescriptor<byte[], byte[]> RAW_BATCH = RawMessages.of(ClassifierGrpc.getClassifyBatchMethod());

    @Test
    void aBatchOfAMillionImagesIsRefusedAtTheOneAfter256BeforeItIsBuilt() throws Exception {
        int n = 1_000_000;
        byte[] wire = new byte[2 * n + 1];
        for (int i = 0; i < n; i++) {
            wire[2 * i] = 0x0A; // field 1 (images), length-delimited
            wire[2 * i + 1] = 0; // an empty Image
        }
        wire[2 * n] = 0x0F; // and then wire type 7, which no protobuf parser accepts
        try (InProcess grpc = new InProcess(fake)) {
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(grpc.channel, RAW_BATCH, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20,
                            TimeUnit.SECONDS), wire));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("more than 256 images");
            assertThat(Statuses.reason(e)).isEqualTo("argus.dev/INVALID_INPUT");
            assertThat(fake.calls).hasValue(0);
            assertThat(grpc.server.messageBytesInFlight()).isZero();
        }
    }

    @Test
    void callsWaitUnreadForMessageMemoryAndAllFinish() throws Exception {
        fake.gate = new CountDownLatch(1);
        int message = 1 << 20;
        // room for two calls' grants (2 x (2 x 1 MiB + 64 KiB)), not three
        GrpcConfig config = GrpcConfig.defaults().withMaxInboundMessageBytes(message)
                .withLimits(4L * message + 300_000, 32, java.time.Duration.ofMinutes(30));
        try (InProcess grpc = new InProcess(config, fake)) {
            ClassifyRequest request = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[900_000])).build();
            List<CompletableFuture<Throwable>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                CompletableFuture<Throwable> done = new CompletableFuture<>();
                ClassifierGrpc.newStub(grpc.channel).classify(request, GrpcServerTest.observer(done));
                calls.add(done);
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (fake.entered.get() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(300);
            assertThat(fake.entered).as("calls past the memory wait, unread").hasValue(2);
            assertThat(grpc.server.messageBytesInFlight()).isLessThanOrEqualTo(config.maxBytesInFlight());
            fake.gate.countDown();
            for (CompletableFuture<Throwable> c : calls) {
                assertThat(c.get(20, TimeUnit.SECONDS)).isNull();
            }
            assertThat(fake.calls).hasValue(6);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (grpc.server.messageBytesInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(grpc.server.messageBytesInFlight()).isZero();
        }
    }

    @Test
    void aCallCancelledWhileWaitingGivesItsPlaceBack() throws Exception {
        fake.gate = new CountDownLatch(1);
        int message = 1 << 20;
        GrpcConfig config = GrpcConfig.defaults().withMaxInboundMessageBytes(message).withMaxConcurrentCalls(3)
                .withLimits(2L * message + 100_000, 32, java.time.Duration.ofMinutes(30));
        try (InProcess grpc = new InProcess(config, fake)) {
            ClassifyRequest request = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[1000])).build();
            CompletableFuture<Throwable> first = new CompletableFuture<>();
            ClassifierGrpc.newStub(grpc.channel).classify(request, GrpcServerTest.observer(first));
            while (fake.entered.get() < 1) {
                Thread.sleep(5);
            }
            // the first call shrank to what its message needs; two more fit the memory, the slots allow two more
            StatusRuntimeException late = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                            .classify(request));
            assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            fake.gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(10, TimeUnit.SECONDS).classify(request)
                    .getClassificationsCount()).isEqualTo(5);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (grpc.server.messageBytesInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(grpc.server.messageBytesInFlight()).isZero();
        }
    }
}
