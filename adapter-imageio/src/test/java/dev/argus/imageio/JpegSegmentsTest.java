package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {

    @Test
    void stripsTheIccProfileAndNothingElse() throws java.io.IOException {
        byte[] jpeg = TestImages.encode(TestImages.noise(16, 16, 1), "jpeg");
        byte[] icc = app2("ICC_PROFILE\0\1\1fake profile bytes");
        byte[] withIcc = TestImages.concat(TestImages.slice(jpeg, 0, 2), icc, TestImages.slice(jpeg, 2, jpeg.length));
        JpegSegments segments = JpegSegments.scan(withIcc);
        assertThat(segments.iccSegments()).hasSize(1);
        assertThat(ByteArrayImageStreamTest.readAll(ByteArrayImageStream.without(withIcc, segments.iccSegments())))
                .isEqualTo(jpeg);
        assertThat(JpegSegments.scan(jpeg).iccSegments()).isEmpty();
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

    @Test
    void countsTheScansOfBaselineAndProgressiveFiles() {
        byte[] baseline = TestImages.encode(TestImages.noise(32, 32, 1), "jpeg");
        assertThat(JpegSegments.countScans(baseline, 100)).isEqualTo(1);
        byte[] progressive = TestImages.progressiveJpeg(TestImages.noise(32, 32, 1));
        int scans = JpegSegments.countScans(progressive, 100);
        assertThat(scans).isGreaterThan(1);
        assertThat(JpegSegments.countScans(TestImages.withLastScanRepeated(progressive, 7), 100)).isEqualTo(scans + 7);
        assertThat(JpegSegments.countScans(TestImages.withLastScanRepeated(progressive, 500), 100))
                .as("stops counting past the limit").isEqualTo(101);
    }

    @Test
    void aThumbnailInsideAnExifSegmentIsNotCounted() {
        byte[] baseline = TestImages.encode(TestImages.noise(32, 32, 1), "jpeg");
        byte[] thumbnail = TestImages.encode(TestImages.noise(8, 8, 2), "jpeg");
        byte[] exif = TestImages.concat("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), thumbnail);
        byte[] app1 = ByteBuffer.allocate(4 + exif.length).put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + exif.length))
                .put(exif).array();
        byte[] withThumbnail = TestImages.concat(TestImages.slice(baseline, 0, 2), app1, TestImages.slice(baseline, 2, baseline.length));
        assertThat(JpegSegments.countScans(withThumbnail, 100)).isEqualTo(1);
    }
}
