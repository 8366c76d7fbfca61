package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import dev.argus.testkit.HostileImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 1 of the review, and its class: a size stored in the file that the pixel limit did not see. Each file is a
 * few bytes to a few hundred KB; what it may allocate is measured on the calling thread.
 */
class HostileImageTest {
    private static final long MIB = 1L << 20;
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();
    private final PreprocessSpec spec = PreprocessSpec.resnet50();

    @BeforeAll
    static void warmUp() {
        // ImageIO's plugin scan and first-use class loading allocate too; they are not what is measured
        new ImageIoImagePreprocessor().preprocess(TestImages.encode(TestImages.noise(8, 8, 7), "gif"), PreprocessSpec.resnet50());
    }

    @Test
    void aGifFrameLargerThanTheScreenIsRefusedBeforeAnyRasterExists() {
        byte[] gif = HostileImages.gifWithLargeFrame(100, 46_000); // the reviewer's file: ~2 GB of raster
        assertThat(gif.length).isLessThan(1024);
        long allocated = Allocation.allocatedBy(() -> assertThatThrownBy(() -> preprocessor.preprocess(gif, spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("46000x46000") // the screen, grown to hold its frame as PIL grows it
                .hasMessageContaining("exceeds the limit of 50000000"));
        assertThat(allocated).as("bytes allocated while refusing").isLessThan(16 * MIB);
    }

    @Test
    void aGifFrameUnderTheLimitWhoseDataCoversAFractionOfItIsRefusedBeforeAnyRasterExists() {
        // 49 MP frame on a 100x100 screen, with data for a few pixels: PIL grows the screen to the frame and finds the
        // data truncated; the JDK would fill the rest in
        byte[] gif = HostileImages.gifWithLargeFrame(100, 7_000);
        long allocated = Allocation.allocatedBy(() -> assertThatThrownBy(() -> preprocessor.preprocess(gif, spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("of its first frame's 49000000 pixels"));
        // the whole frame would be 49 MB as indexes and 147 MB as RGB
        assertThat(allocated).as("bytes allocated while refusing").isLessThan(16 * MIB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zTXt", "iTXt", "iCCP"})
    void compressedPngMetadataIsNeverUnpacked(String chunk) {
        byte[] png = HostileImages.pngWithCompressedChunkBomb(chunk, 256); // 256 MiB inflated
        assertThat(png.length).isLessThan(1 << 20);
        long allocated = Allocation.allocatedBy(() -> assertThat(preprocessor.preprocess(png, spec)).hasSize(spec.valuesPerImage()));
        assertThat(allocated).isLessThan(32 * MIB);
    }

    @Test
    void aWebpBitstreamLargerThanItsCanvasIsRefusedBeforeDecoding() {
        // the decoder reports the 100x100 canvas but sized its buffers from the bitstream: 105 MB allocated before
        byte[] webp = HostileImages.webpWithLargeFrame(100, 16_000);
        long allocated = Allocation.allocatedBy(() -> assertThatThrownBy(() -> preprocessor.preprocess(webp, spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("bitstream is 16000x16000"));
        assertThat(allocated).isLessThan(8 * MIB);
        byte[] lying = HostileImages.webpWithLargeFrame(100, 200); // under the pixel limit, still larger than its canvas
        assertThatThrownBy(() -> preprocessor.preprocess(lying, spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("larger than its 100x100 canvas");
    }

    @Test
    void aTopDownBmpIsDecodedAndOneWithAnImpossibleHeightRefused() {
        assertThat(preprocessor.preprocess(HostileImages.bmp(64, -48), spec)).hasSize(spec.valuesPerImage());
        assertThatThrownBy(() -> preprocessor.preprocess(HostileImages.bmp(64, Integer.MIN_VALUE), spec))
                .isInstanceOf(ArgusException.class)
                .satisfies(e -> assertThat(((ArgusException) e).code()).isIn(ErrorCode.INVALID_INPUT, ErrorCode.INPUT_TOO_LARGE));
        assertThatThrownBy(() -> preprocessor.preprocess(HostileImages.bmp(100_000, -100_000), spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE));
    }

    @Test
    void multiImageFormatsAreNotAcceptedAtAll() {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};
        byte[] ico = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0};
        assertThatThrownBy(() -> preprocessor.preprocess(tiff, spec)).hasMessageContaining("TIFF image, which is not supported");
        assertThatThrownBy(() -> preprocessor.preprocess(ico, spec)).hasMessageContaining("not a supported image");
    }
}
