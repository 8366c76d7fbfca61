package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.PreprocessSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The rules PIL applies to damaged files and the JDK's readers do not, one test each, on files made here (the
 * differential test, {@link PilDifferentialTest}, finds them among thousands of generated mutants).
 */
class PilAcceptanceTest {
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();
    private final PreprocessSpec spec = PreprocessSpec.resnet50();

    private static int chunk(byte[] png, String name) {
        for (int at = 8; at + 8 <= png.length; ) {
            if (new String(png, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(name)) {
                return at;
            }
            at += 12 + ByteBuffer.wrap(png, at, 4).getInt();
        }
        throw new AssertionError("no " + name + " chunk");
    }

    @Test
    void aPngHeaderChunkWithAWrongCrcIsRefusedAsPilRefusesIt() {
        byte[] png = TestImages.encode(TestImages.noise(40, 30, 1), "png");
        byte[] bad = png.clone();
        bad[chunk(bad, "IHDR") + 8 + 13] ^= 0x10; // the CRC: the JDK reads the header anyway, PIL checks it first
        assertThatThrownBy(() -> preprocessor.preprocess(bad, spec)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("'IHDR' chunk's CRC does not match");
        assertThat(preprocessor.preprocess(png, spec)).hasSize(spec.valuesPerImage());
    }

    @Test
    void aDamagedTailAfterThePngsImageDataIsIgnoredAsPilIgnoresIt() {
        byte[] png = TestImages.encode(TestImages.noise(40, 30, 2), "png");
        float[] whole = preprocessor.preprocess(png, spec);
        int iend = chunk(png, "IEND");
        byte[] noEnd = Arrays.copyOf(png, iend); // IEND missing
        byte[] garbage = Arrays.copyOf(png, iend + 20); // a chunk whose length runs past the end
        ByteBuffer.wrap(garbage, iend, 4).putInt(1 << 30);
        garbage[iend + 4] = 't';
        garbage[iend + 5] = 'E';
        garbage[iend + 6] = 'X';
        garbage[iend + 7] = 't';
        assertThat(preprocessor.preprocess(noEnd, spec)).isEqualTo(whole);
        assertThat(preprocessor.preprocess(garbage, spec)).isEqualTo(whole);
    }

    @Test
    void aGifWhoseDataRunsOutBeforeItsLastPixelIsRefused() {
        byte[] gif = TestImages.encode(TestImages.noise(60, 50, 3), "gif");
        assertThat(preprocessor.preprocess(gif, spec)).hasSize(spec.valuesPerImage());
        byte[] cut = Arrays.copyOf(gif, gif.length / 2);
        assertThatThrownBy(() -> preprocessor.preprocess(cut, spec)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("GIF's data ends after");
    }

    @Test
    void aGifCodePastTheTablesNextEntryIsRefusedAsABrokenDataStream() {
        // 2x2 frame, 2-bit codes: clear (4), then 0, then code 7 while the next free entry is 6
        byte[] gif = gif(2, 2, 2, new int[] {4, 0, 7, 5}, 3);
        assertThatThrownBy(() -> GifLzw.check(gif)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("past the table's next entry");
        byte[] good = gif(2, 1, 2, new int[] {4, 0, 1, 5}, 3);
        GifLzw.check(good); // two literals: every pixel written
        byte[] short1 = gif(2, 2, 2, new int[] {4, 0, 1, 5}, 3);
        assertThatThrownBy(() -> GifLzw.check(short1)).as("the end code does not end the frame for PIL")
                .isInstanceOf(ArgusException.class).hasMessageContaining("of its first frame's 4 pixels");
        byte[] firstNotLiteral = gif(2, 2, 2, new int[] {4, 6, 5}, 3);
        assertThatThrownBy(() -> GifLzw.check(firstNotLiteral)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("first code after a clear code");
    }

    /** A GIF with a 4-colour global palette and one frame of the given LZW codes, each {@code codeBits} wide. */
    private static byte[] gif(int w, int h, int minCodeSize, int[] codes, int codeBits) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h)
                .put((byte) 0x81).put((byte) 0).put((byte) 0).put(new byte[12]);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) w).putShort((short) h).put((byte) 0);
        b.put((byte) minCodeSize);
        long bits = 0;
        int count = 0;
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int c : codes) {
            bits |= (long) c << count;
            count += codeBits;
            while (count >= 8) {
                data.write((int) (bits & 0xFF));
                bits >>>= 8;
                count -= 8;
            }
        }
        if (count > 0) {
            data.write((int) bits);
        }
        byte[] d = data.toByteArray();
        b.put((byte) d.length).put(d).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void anExifOrientationWithACountOtherThanOneIsUprightAsInPil() {
        byte[] tiff = TestImages.exifTiff(6);
        assertThat(ExifOrientation.fromTiff(tiff, 0, tiff.length)).isEqualTo(6);
        ByteBuffer.wrap(tiff, 8 + 2 + 4, 4).putInt(33); // count 33: PIL reads a tuple, which names no orientation
        assertThat(ExifOrientation.fromTiff(tiff, 0, tiff.length)).isEqualTo(ExifOrientation.UPRIGHT);
    }

    @Test
    void aWebpWhoseRiffOrBitstreamSizeCannotHoldAnImageIsRefused() {
        byte[] webp = new byte[64];
        ByteBuffer b = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(56)
                .put("WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0);
        assertThatThrownBy(() -> WebpChunks.check(webp, 1 << 20)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("VP8 bitstream chunk holds 0 bytes");
        b.putInt(4, 4);
        assertThatThrownBy(() -> WebpChunks.check(webp, 1 << 20)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("too small for any image");
        b.putInt(4, 20).putInt(16, 40); // the chunk runs past the 28 bytes the RIFF header gives
        assertThatThrownBy(() -> WebpChunks.check(webp, 1 << 20)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("past the 28 bytes");
    }
}
