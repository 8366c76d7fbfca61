package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    @Test
    void readsTheTagInBothByteOrders() {
        byte[] bigEndian = TestImages.exifTiff(6);
        assertThat(ExifOrientation.fromTiff(bigEndian, 0, bigEndian.length)).isEqualTo(6);
        byte[] little = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {'I', 'I', 42, 0})
                .putInt(8).putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1)
                .putShort((short) 8).putShort((short) 0).putInt(0).array();
        assertThat(ExifOrientation.fromTiff(little, 0, little.length)).isEqualTo(8);
    }

    @Test
    void readsAsUprightWhenAbsentOrMalformed() {
        byte[] tiff = TestImages.exifTiff(3);
        assertThat(ExifOrientation.fromTiff(tiff, 0, 10)).isEqualTo(1);          // cut inside the IFD
        byte[] badOffset = tiff.clone();
        badOffset[7] = (byte) 200;                                                 // IFD beyond the end
        assertThat(ExifOrientation.fromTiff(badOffset, 0, badOffset.length)).isEqualTo(1);
        byte[] outOfRange = TestImages.exifTiff(9);
        assertThat(ExifOrientation.fromTiff(outOfRange, 0, outOfRange.length)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(new byte[] {'X', 'X', 0, 0, 0, 0, 0, 0}, 0, 8)).isEqualTo(1);
    }

    @Test
    void findsTheTagInPngAndJpegFiles() {
        byte[] png = TestImages.encode(TestImages.noise(5, 5, 1), "png");
        assertThat(ExifOrientation.inPng(png)).isEqualTo(1);
        assertThat(ExifOrientation.inPng(TestImages.withPngOrientation(png, 7))).isEqualTo(7);
        byte[] jpeg = TestImages.withJpegOrientation(TestImages.encode(TestImages.noise(5, 5, 1), "jpeg"), 5);
        assertThat(JpegSegments.scan(jpeg).orientation()).isEqualTo(5);
    }
}
