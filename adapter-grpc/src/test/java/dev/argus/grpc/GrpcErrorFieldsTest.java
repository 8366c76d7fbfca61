package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.InputField;
import dev.argus.grpc.v1.ImageOutcome;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** The field a gRPC error blames comes from the error's data, never from its text. */
class GrpcErrorFieldsTest {
    @Test
    void theBlamedFieldIsTheOneTheErrorCarries() {
        StatusRuntimeException e = GrpcErrors.toStatus(ArgusException.invalidInput("any words at all", InputField.imageElement(7)));
        assertThat(Statuses.badFields(e)).containsExactly("numbers.values[7]");
        assertThat(Statuses.badFields(GrpcErrors.toStatus(ArgusException.invalidInput("top_k is odd", InputField.topK()))))
                .containsExactly("top_k");
    }

    @Test
    void aMessageThatLooksLikeAFieldBlamesNothingWithoutTheData() {
        // the old code parsed "image[N]" out of the message; a remote or library message may read like that by chance
        StatusRuntimeException e = GrpcErrors.toStatus(ArgusException.invalidInput("image[3] = 999 came from elsewhere"));
        assertThat(Statuses.badFields(e)).isEmpty();
        assertThat(GrpcErrors.toProtoError(ErrorCode.INVALID_INPUT, "top_k words", null, "images[0].").getField()).isEmpty();
        assertThat(GrpcErrors.toProtoError(ErrorCode.INVALID_INPUT, "x", InputField.imageElement(2), "images[4].").getField())
                .isEqualTo("images[4].numbers.values[2]");
    }

    @Test
    void aRemoteArgussBlamedFieldComesBackAsData() {
        // what a remote Argus writes (field(...)) reads back to the same InputField, whatever the prefix
        for (String prefix : new String[] {"", "request.", "images[4]."}) {
            String path = GrpcErrors.field(InputField.imageElement(9), prefix);
            assertThat(GrpcErrors.inputField(path)).as(path).isEqualTo(InputField.imageElement(9));
        }
        assertThat(GrpcErrors.inputField("top_k")).isEqualTo(InputField.topK());
        for (String odd : new String[] {"", "numbers.values[]", "numbers.values[-1]", "numbers.values[99999999999]",
                "images[x].numbers.values[1]", "elsewhere.numbers.values[1]", "numbers.values[1", "label_style"}) {
            assertThat(GrpcErrors.inputField(odd)).as(odd).isNull();
        }
    }

    @Test
    void aRemoteWholeCallRefusalKeepsItsBlamedField() {
        StatusRuntimeException remote = GrpcErrors.toStatus(ArgusException.invalidInput("bad number", InputField.imageElement(5)));
        ArgusException local = GrpcErrors.toArgusException(remote, "h:1");
        assertThat(local.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(local.field()).contains(InputField.imageElement(5));
        // a server-side failure blames no field, whatever its details say
        StatusRuntimeException odd = io.grpc.protobuf.StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.INTERNAL.value()).setMessage("failed")
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.ErrorInfo.newBuilder().setDomain(GrpcErrors.DOMAIN)
                        .setReason(ErrorCode.INFERENCE_FAILED.name()).build()))
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.BadRequest.newBuilder().addFieldViolations(
                        com.google.rpc.BadRequest.FieldViolation.newBuilder().setField("numbers.values[1]")).build()))
                .build());
        ArgusException failed = GrpcErrors.toArgusException(odd, "h:1");
        assertThat(failed.code()).isEqualTo(ErrorCode.INFERENCE_FAILED);
        assertThat(failed.field()).isEmpty();
    }

    @Test
    void aRemotePerImageErrorKeepsItsBlamedField() {
        ImageOutcome outcome = ImageOutcome.newBuilder().setError(
                GrpcErrors.toProtoError(ErrorCode.INVALID_INPUT, "bad", InputField.imageElement(3), "images[1].")).build();
        ClassificationOutcome mapped = ProtoMapper.outcome(outcome, "grpc");
        assertThat(mapped).isInstanceOfSatisfying(ClassificationOutcome.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(f.field()).isEqualTo(InputField.imageElement(3));
        });
        ImageOutcome serverSide = ImageOutcome.newBuilder().setError(GrpcErrors.toProtoError(ErrorCode.INVALID_INPUT, "bad",
                InputField.imageElement(3), "images[1].").toBuilder().setReason(ErrorCode.INFERENCE_FAILED.name())).build();
        assertThat(ProtoMapper.outcome(serverSide, "grpc")).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                f -> assertThat(f.field()).as("only the caller's own mistake blames a field").isNull());
    }
}
