package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.PreprocessSpec;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IccProfileTest {
    private final PreprocessSpec spec = Specs.rawStretch(32, 24);
    private final byte[] plain = TestImages.encode(TestImages.noise(32, 24, 3), "jpeg");
    private final byte[] tagged = withIccProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());

    @Test
    void ignoresEmbeddedIccProfilesAsPilDoes() {
        assertThat(new ImageIoImagePreprocessor().preprocess(tagged, spec))
                .isEqualTo(new ImageIoImagePreprocessor().preprocess(plain, spec));
    }

    @Test
    void appliesThemWhenConfiguredTo() {
        ImageIoImagePreprocessor converting = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withIgnoreIccProfile(false));
        assertThat(converting.preprocess(tagged, spec)).isNotEqualTo(converting.preprocess(plain, spec));
    }

    /** The JPEG with the profile in one APP2 segment right after SOI. */
    private static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
        byte[] id = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = 2 + id.length + 2 + profile.length;
        byte[] app2 = ByteBuffer.allocate(2 + length).put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(id)
                .put((byte) 1).put((byte) 1).put(profile).array();
        return TestImages.concat(TestImages.slice(jpeg, 0, 2), app2, TestImages.slice(jpeg, 2, jpeg.length));
    }
}
