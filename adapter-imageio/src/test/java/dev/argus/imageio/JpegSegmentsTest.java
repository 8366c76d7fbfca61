package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {

    @Test
    void stripsTheIccProfileAndNothingElse() {
        byte[] jpeg = TestImages.encode(TestImages.noise(16, 16, 1), "jpeg");
        byte[] icc = app2("ICC_PROFILE\0\1\1fake profile bytes");
        byte[] withIcc = TestImages.concat(TestImages.slice(jpeg, 0, 2), icc, TestImages.slice(jpeg, 2, jpeg.length));
        JpegSegments segments = JpegSegments.scan(withIcc);
        assertThat(segments.iccSegments()).hasSize(1);
        assertThat(segments.withoutIcc(withIcc)).isEqualTo(jpeg);
        assertThat(JpegSegments.scan(jpeg).withoutIcc(jpeg)).isSameAs(jpeg);
    }

    @Test
    void readsComponentsFromTheFrameHeader() {
        JpegSegments segments = JpegSegments.scan(TestImages.encode(TestImages.noise(16, 16, 1), "jpeg"));
        assertThat(segments.components()).isEqualTo(3);
        assertThat(segments.adobeTransform()).isEqualTo(-1);
        assertThat(segments.isYcck()).isFalse();
    }

    @Test
    void detectsTheEndOfImageOnlyThroughTheStructure() {
        byte[] jpeg = TestImages.encode(TestImages.noise(40, 40, 2), "jpeg");
        assertThat(TruncationCheck.jpegHasEnd(jpeg)).isTrue();
        assertThat(TruncationCheck.jpegHasEnd(TestImages.slice(jpeg, 0, jpeg.length - 1))).isFalse();
        // An EXIF thumbnail carries its own end marker inside APP1: it must not count.
        byte[] thumbnail = app1WithEndMarker();
        byte[] truncatedWithThumbnail = TestImages.concat(TestImages.slice(jpeg, 0, 2), thumbnail,
                TestImages.slice(jpeg, 2, jpeg.length / 2));
        assertThat(TruncationCheck.jpegHasEnd(truncatedWithThumbnail)).isFalse();
    }

    private static byte[] app2(String payload) {
        byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(4 + data.length).put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + data.length))
                .put(data).array();
    }

    private static byte[] app1WithEndMarker() {
        byte[] data = {'E', 'x', 'i', 'f', 0, 0, (byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9};
        return ByteBuffer.allocate(4 + data.length).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + data.length))
                .put(data).array();
    }
}
