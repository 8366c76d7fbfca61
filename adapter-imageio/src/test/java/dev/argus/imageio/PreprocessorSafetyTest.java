package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessorSafetyTest {
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();
    private final PreprocessSpec spec = PreprocessSpec.resnet50();

    @Test
    void refusesDecompressionBombFromHeaderAlone() {
        // Warm-up: the first image in this JVM pays for ImageIO's plugin scan and class loading, the first refusal for
        // its own classes. Neither is what is measured below.
        assertThat(preprocessor.preprocess(TestImages.encode(TestImages.noise(8, 8, 7), "png"), spec))
                .hasSize(spec.valuesPerImage());
        assertTooLarge(TestImages.pngHeaderOnly(10_000, 10_000));

        // 45 bytes claiming 10 gigapixels, in rows wide enough that one decoded row (6 MB) dwarfs what opening a reader
        // and reading a header allocate (~0.6 MB measured)
        int width = 2_000_000;
        byte[] header = TestImages.pngHeaderOnly(width, 5_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = {-1};
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                preprocessor.preprocess(header, spec);
            } finally {
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(thrown).isInstanceOf(ArgusException.class)
                .hasMessageContaining("2000000x5000 = 10000000000 pixels")
                .hasMessageContaining("exceeds the limit of 50000000");
        assertThat(((ArgusException) thrown).code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
        assertThat(millis).as("refused from the header, without decoding").isLessThan(2_000);
        if (threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            // Decoding allocates at least one row of pixels (3 bytes each); reading the header allocates far less.
            assertThat(allocated[0]).as("bytes allocated while refusing: less than one row of the image")
                    .isBetween(0L, 3L * width);
        }
    }

    @Test
    void refusesJpegGifBmpAndWebpBombsFromTheirHeaders() {
        assertTooLarge(jpegHeader(60_000, 60_000));
        assertTooLarge(gifHeader(65_535, 65_535));
        assertTooLarge(rle8BmpHeader(100_000, 100_000));
        assertTooLarge(losslessWebpHeader(16_384, 16_384));
    }

    @Test
    void appliesTheConfiguredPixelLimit() {
        ImageIoImagePreprocessor strict = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withMaxPixels(99));
        byte[] png = TestImages.encode(TestImages.noise(10, 10, 1), "png");
        assertThat(catchThrowable(() -> strict.preprocess(png, spec)))
                .hasMessageContaining("10x10 = 100 pixels").hasMessageContaining("limit of 99");
        ImageIoImagePreprocessor exact = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withMaxPixels(100));
        assertThat(exact.preprocess(png, spec)).hasSize(spec.valuesPerImage());
    }

    @Test
    void refusesEmptyInput() {
        assertInvalid(new byte[0], "empty");
    }

    @Test
    void refusesTextSayingWhatItLooksLike() {
        byte[] text = "<!DOCTYPE html><html>not an image</html>".getBytes(StandardCharsets.UTF_8);
        assertInvalid(text, "not a supported image (JPEG, PNG, GIF, BMP, WebP); the first bytes look like 3c 21 44");
        assertInvalid(text, "HTML");
        assertInvalid("{\"image\": [1, 2]}".getBytes(StandardCharsets.UTF_8), "JSON");
        assertInvalid(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, "TIFF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp"})
    void refusesTruncatedFiles(String format) {
        byte[] full = TestImages.encode(TestImages.noise(120, 90, 2), format);
        for (double fraction : new double[] {0.2, 0.6, 0.95}) {
            byte[] cut = Arrays.copyOf(full, (int) (full.length * fraction));
            assertInvalid(cut, "truncated or corrupt");
        }
        assertThat(preprocessor.preprocess(full, spec)).hasSize(spec.valuesPerImage());
    }

    @Test
    void refusesJpegMissingOnlyItsEndMarkerAsPilDoes() {
        byte[] full = TestImages.encode(TestImages.noise(64, 64, 3), "jpeg");
        assertInvalid(Arrays.copyOf(full, full.length - 2), "end-of-image marker");
    }

    @Test
    void acceptsBytesAfterTheJpegEndMarkerAsPilDoes() {
        byte[] full = TestImages.encode(TestImages.noise(64, 64, 3), "jpeg");
        byte[] trailing = TestImages.concat(full, "trailer written by some camera".getBytes(StandardCharsets.US_ASCII));
        assertThat(preprocessor.preprocess(trailing, spec)).isEqualTo(preprocessor.preprocess(full, spec));
    }

    @Test
    void refusesCorruptPngData() {
        byte[] png = TestImages.encode(TestImages.noise(64, 64, 4), "png");
        byte[] corrupt = png.clone();
        for (int i = 60; i < corrupt.length - 20; i += 7) {
            corrupt[i] ^= 0x5A;
        }
        assertInvalid(corrupt, "truncated or corrupt");
    }

    @Test
    void neverLetsALibraryExceptionEscapeFromMangledFiles() {
        Random random = new Random(42);
        for (String format : new String[] {"jpeg", "png", "gif", "bmp"}) {
            byte[] original = TestImages.encode(TestImages.noise(48, 40, 5), format);
            for (int round = 0; round < 60; round++) {
                byte[] mangled = original.clone();
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    mangled[random.nextInt(mangled.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    mangled = Arrays.copyOf(mangled, 2 + random.nextInt(mangled.length - 2));
                }
                byte[] input = mangled;
                Throwable thrown = catchThrowable(() -> preprocessor.preprocess(input, spec));
                assertThat(thrown).as("%s round %d", format, round).satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isInstanceOf(ArgusException.class));
            }
        }
    }

    @Test
    void refusesADestinationThatIsTooSmall() {
        byte[] png = TestImages.encode(TestImages.noise(8, 8, 6), "png");
        assertThatThrownBy(() -> preprocessor.preprocess(png, spec, new float[spec.valuesPerImage()], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void assertInvalid(byte[] input, String messagePart) {
        Throwable thrown = catchThrowable(() -> preprocessor.preprocess(input, spec));
        assertThat(thrown).isInstanceOf(ArgusException.class).hasMessageContaining(messagePart);
        assertThat(((ArgusException) thrown).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    private void assertTooLarge(byte[] input) {
        Throwable thrown = catchThrowable(() -> preprocessor.preprocess(input, spec));
        assertThat(thrown).isInstanceOf(ArgusException.class).hasMessageContaining("exceeds the limit of 50000000");
        assertThat(((ArgusException) thrown).code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
    }

    /** SOI, a baseline frame header of the given size, a scan header, EOI: no tables, no data. */
    private static byte[] jpegHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xD8});
        b.put(new byte[] {(byte) 0xFF, (byte) 0xC0}).putShort((short) 17).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put(new byte[] {(byte) 0xFF, (byte) 0xDA}).putShort((short) 12).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0);
        }
        b.put((byte) 0).put((byte) 63).put((byte) 0);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] gifHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) width).putShort((short) height)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) width).putShort((short) height)
                .put((byte) 0);
        b.put((byte) 2).put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] rle8BmpHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(54 + 1024 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(54 + 1024);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8).putInt(1) // BI_RLE8
                .putInt(2).putInt(2835).putInt(2835).putInt(256).putInt(0);
        b.position(54 + 1024);
        b.put((byte) 0).put((byte) 1); // end of bitmap
        return b.array();
    }

    private static byte[] losslessWebpHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0x2F);
        b.putInt((width - 1) | (height - 1) << 14);
        b.put(new byte[5]);
        return b.array();
    }

    @Test
    void refusesImagesTooElongatedToResizeInsteadOfFailingInternally() {
        // 10 KB of PNG, inside the pixel limit, whose resize to 256 on the short side would be 2.56e9 pixels long.
        assertInvalid(TestImages.pngHeaderOnly(10_000_000, 1), "1000:1");
        assertInvalid(TestImages.pngHeaderOnly(1, 10_000_000), "1000:1");
        assertInvalid(TestImages.encode(TestImages.noise(2000, 2, 3), "png"), "2000x2");
        assertThat(preprocessor.preprocess(TestImages.encode(TestImages.noise(999, 1, 3), "png"), spec))
                .as("999:1 is still served").hasSize(spec.valuesPerImage());
    }

    @Test
    void refusesJpegScanBombsBeforeDecoding() {
        byte[] progressive = TestImages.progressiveJpeg(TestImages.noise(64, 64, 5));
        assertThat(preprocessor.preprocess(progressive, spec)).hasSize(spec.valuesPerImage());
        int scans = JpegSegments.countScans(progressive, 1000);
        assertThat(scans).as("the JDK's progressive script").isBetween(2, 20);
        byte[] atLimit = TestImages.withLastScanRepeated(progressive, ImageDecoder.MAX_JPEG_SCANS - scans);
        assertThat(JpegSegments.countScans(atLimit, 1000)).isEqualTo(ImageDecoder.MAX_JPEG_SCANS);
        assertThat(preprocessor.preprocess(atLimit, spec)).as("a refinement scan repeated is still valid").hasSize(spec.valuesPerImage());
        assertInvalid(TestImages.withLastScanRepeated(progressive, ImageDecoder.MAX_JPEG_SCANS - scans + 1), "more than 100 scans");
        assertInvalid(TestImages.withLastScanRepeated(progressive, 20_000), "more than 100 scans");
    }
}
