package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void recognisesEachFormatBySignature() {
        assertThat(ImageFormat.detect(TestImages.encode(TestImages.noise(4, 4, 1), "jpeg"))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.detect(TestImages.encode(TestImages.noise(4, 4, 1), "png"))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.detect(TestImages.encode(TestImages.noise(4, 4, 1), "gif"))).contains(ImageFormat.GIF);
        assertThat(ImageFormat.detect(TestImages.encode(TestImages.noise(4, 4, 1), "bmp"))).contains(ImageFormat.BMP);
        byte[] webp = "RIFF\0\0\0\0WEBPVP8L".getBytes(StandardCharsets.US_ASCII);
        assertThat(ImageFormat.detect(webp)).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.detect("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImageFormat.detect(new byte[] {(byte) 0xFF})).isEmpty();
    }

    @Test
    void describesUnrecognisedStartsForHumans() {
        assertThat(ImageFormat.describeStart("%PDF-1.7".getBytes(StandardCharsets.US_ASCII))).endsWith("(a PDF document)");
        assertThat(ImageFormat.describeStart("hello world".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("68 65 6c 6c 6f 20 77 6f 72 6c 64 (text: \"hello world\")");
        assertThat(ImageFormat.describeStart(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p'})).contains("HEIC or AVIF");
        assertThat(ImageFormat.describeStart(new byte[] {1, 2, (byte) 0xFE})).isEqualTo("01 02 fe");
    }
}
