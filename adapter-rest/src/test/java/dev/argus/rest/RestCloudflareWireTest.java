package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one copy of Cloudflare's wire format: what the server and {@code argus classify} both write and read. */
class RestCloudflareWireTest {

    @Test
    void everyDomainCodeMapsToTheStatusAndCodeTheServerAnswersWith() {
        for (ErrorCode code : ErrorCode.values()) {
            RestCloudflareWire.Status wire = RestCloudflareWire.status(code);
            RestError served = RestError.of(code, "m");
            assertThat(served.status()).as(code.name()).isEqualTo(wire.http());
            assertThat(served.cloudflareCode()).as(code.name()).isEqualTo(wire.code());
            assertThat(served.code()).contains(code);
        }
        // the CLI used to write 5007 for a configuration failure while the server wrote 3043
        assertThat(RestCloudflareWire.status(ErrorCode.CONFIGURATION)).isEqualTo(new RestCloudflareWire.Status(500, 3043));
    }

    @Test
    void envelopesKeepCloudflaresFieldOrder() {
        String ok = RestCloudflareWire.write(RestCloudflareWire.success(RestCloudflareWire.result(
                List.of(new Classification("TABBY", 0.5, 281)))));
        assertThat(ok).isEqualTo("{\"result\":[{\"label\":\"TABBY\",\"score\":0.5}],\"success\":true,\"errors\":[],\"messages\":[]}");
        String failed = RestCloudflareWire.write(RestCloudflareWire.failure(5006, "bad"));
        assertThat(failed).isEqualTo("{\"result\":null,\"success\":false,\"errors\":[{\"code\":5006,\"message\":\"bad\"}],\"messages\":[]}");
    }

    @Test
    void aRequestBodyParsesToItsBytes() {
        ImageInput image = RestCloudflareWire.parseRequest(utf8("{\"image\":[137,80,78,71]}"), 100);
        assertThat(image).isInstanceOfSatisfying(ImageInput.Encoded.class,
                e -> assertThat(e.bytes()).containsExactly((byte) 137, (byte) 80, (byte) 78, (byte) 71));
    }

    @Test
    void aBadBodyIsAnArgusErrorWithItsCodeAndTheOffendingElement() {
        assertThatThrownBy(() -> RestCloudflareWire.parseRequest(utf8("{\"image\":[1,2,300]}"), 100))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("image[2] = 300");
        assertThatThrownBy(() -> RestCloudflareWire.parseRequest(utf8("{\"image\":[1,2,3,4,5]}"), 4))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("more than 4 bytes");
        assertThatThrownBy(() -> RestCloudflareWire.parseRequest(utf8("{\"image\":[1,2"), 100))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("malformed");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
