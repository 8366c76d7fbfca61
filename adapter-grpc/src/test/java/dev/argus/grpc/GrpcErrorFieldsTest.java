package dev.argus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.InputField;
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
}
