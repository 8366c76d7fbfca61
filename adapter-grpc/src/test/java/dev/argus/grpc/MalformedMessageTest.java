package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bytes that are not a protobuf message get INVALID_ARGUMENT, not UNKNOWN, and the server keeps serving. */
class MalformedMessageTest {
    private final FakeUseCase fake = new FakeUseCase();

    private static Status sendRaw(InProcess grpc, MethodDescriptor<?, ?> method, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> raw = RawMessages.of(method);
        try {
            ClientCalls.blockingUnaryCall(grpc.channel, raw, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), bytes);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Test
    void garbageAndTruncatedMessagesAreTheClientsError() throws Exception {
        try (InProcess grpc = new InProcess(fake)) {
            grpc.server.setServing(true);
            Status garbage = sendRaw(grpc, ClassifierGrpc.getClassifyMethod(), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0});
            assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(garbage.getDescription()).contains("not a valid argus.v1.Classifier/Classify message");

            byte[] whole = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[1000])).build().toByteArray();
            Status truncated = sendRaw(grpc, ClassifierGrpc.getClassifyMethod(), Arrays.copyOf(whole, 500));
            assertThat(truncated.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

            Status model = sendRaw(grpc, ClassifierGrpc.getGetModelMethod(), new byte[] {(byte) 0xff, (byte) 0xff});
            assertThat(model.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

            assertThat(sendRaw(grpc, ClassifierGrpc.getClassifyMethod(), whole).getCode()).as("a valid message still works")
                    .isEqualTo(Status.Code.OK);
            assertThat(ClassifierGrpc.newBlockingStub(grpc.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(new byte[42])).build())).isNotNull();
        }
    }
}
