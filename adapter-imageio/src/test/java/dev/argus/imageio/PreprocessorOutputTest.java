package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.ChannelOrder;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessorOutputTest {
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();

    @ParameterizedTest
    @ValueSource(ints = {1, 10})
    void upscalesTinyImagesToTheFullInput(int size) {
        byte[] png = TestImages.encode(TestImages.solid(size, size, 0xC81E5A), "png"); // (200, 30, 90)
        PreprocessSpec spec = PreprocessSpec.resnet50();
        float[] out = preprocessor.preprocess(png, spec);
        int plane = 224 * 224;
        // A uniform image stays uniform through bicubic resampling (weights sum to one).
        assertThat(out[0]).isEqualTo(normalised(200, 0.485f, 0.229f));
        assertThat(out[plane - 1]).isEqualTo(out[0]);
        assertThat(out[plane]).isEqualTo(normalised(30, 0.456f, 0.224f));
        assertThat(out[2 * plane + 12345]).isEqualTo(normalised(90, 0.406f, 0.225f));
    }

    @Test
    void stretchesToTheInputSizeIgnoringAspect() {
        BufferedImage image = TestImages.noise(40, 10, 7);
        // Same width, so only the vertical axis is resampled; stretching 10 rows to 30 keeps each column's first
        // and last values close to the source's, and the output has exactly the spec's size.
        PreprocessSpec spec = Specs.rawStretch(40, 30);
        float[] out = preprocessor.preprocess(TestImages.encode(image, "png"), spec);
        assertThat(out).hasSize(3 * 40 * 30);
        PreprocessSpec identity = Specs.rawStretch(40, 10);
        float[] same = preprocessor.preprocess(TestImages.encode(image, "png"), identity);
        for (int x = 0; x < 40; x++) {
            assertThat((int) same[x]).isEqualTo((image.getRGB(x, 0) >> 16) & 0xFF);
        }
    }

    @Test
    void ordersChannelsBgrWhenAsked() {
        byte[] png = TestImages.encode(TestImages.noise(30, 20, 8), "png");
        float[] rgb = preprocessor.preprocess(png, Specs.raw(30, 20, ResizeMode.STRETCH, 0, ChannelOrder.RGB, TensorLayout.NCHW));
        float[] bgr = preprocessor.preprocess(png, Specs.raw(30, 20, ResizeMode.STRETCH, 0, ChannelOrder.BGR, TensorLayout.NCHW));
        int plane = 30 * 20;
        for (int i = 0; i < plane; i++) {
            assertThat(bgr[i]).isEqualTo(rgb[2 * plane + i]);
            assertThat(bgr[plane + i]).isEqualTo(rgb[plane + i]);
            assertThat(bgr[2 * plane + i]).isEqualTo(rgb[i]);
        }
    }

    @Test
    void interleavesChannelsInNhwcLayout() {
        byte[] png = TestImages.encode(TestImages.noise(300, 280, 9), "png");
        PreprocessSpec nchw = PreprocessSpec.resnet50();
        PreprocessSpec nhwc = new PreprocessSpec(224, 224, ResizeMode.SHORT_SIDE_THEN_CENTER_CROP, 256, nchw.scale(),
                nchw.mean(), nchw.std(), ChannelOrder.RGB, TensorLayout.NHWC);
        float[] planar = preprocessor.preprocess(png, nchw);
        float[] interleaved = preprocessor.preprocess(png, nhwc);
        int plane = 224 * 224;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                assertThat(interleaved[p * 3 + c]).isEqualTo(planar[c * plane + p]);
            }
        }
    }

    @Test
    void writesOnlyItsOwnSliceOfABatch() {
        byte[] png = TestImages.encode(TestImages.noise(50, 60, 10), "png");
        PreprocessSpec spec = Specs.rawStretch(8, 8);
        float[] batch = new float[3 * spec.valuesPerImage()];
        java.util.Arrays.fill(batch, -7f);
        preprocessor.preprocess(png, spec, batch, spec.valuesPerImage());
        float[] alone = preprocessor.preprocess(png, spec);
        for (int i = 0; i < batch.length; i++) {
            boolean mine = i >= spec.valuesPerImage() && i < 2 * spec.valuesPerImage();
            assertThat(batch[i]).isEqualTo(mine ? alone[i - spec.valuesPerImage()] : -7f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void turnsImagesUprightPerExifOrientationLikePil(int orientation) {
        BufferedImage image = TestImages.noise(6, 4, 11);
        byte[] png = TestImages.withPngOrientation(TestImages.encode(image, "png"), orientation);
        boolean swapped = orientation >= 5;
        int w = swapped ? 4 : 6, h = swapped ? 6 : 4;
        float[] out = preprocessor.preprocess(png, Specs.rawStretch(w, h)); // same size: no resampling
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] src = sourceOf(orientation, x, y, 6, 4);
                assertThat((int) out[y * w + x]).as("orientation %d at %d,%d", orientation, x, y)
                        .isEqualTo((image.getRGB(src[0], src[1]) >> 16) & 0xFF);
            }
        }
    }

    @Test
    void ignoresExifOrientationWhenConfiguredTo() {
        BufferedImage image = TestImages.noise(6, 4, 12);
        byte[] jpeg = TestImages.withJpegOrientation(TestImages.encode(image, "jpeg"), 6);
        ImageIoImagePreprocessor ignoring = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withApplyExifOrientation(false));
        assertThat(ignoring.preprocess(jpeg, Specs.rawStretch(6, 4))).hasSize(72);
        assertThat(preprocessor.preprocess(jpeg, Specs.rawStretch(4, 6)))
                .as("upright 4x6 needs no resampling, so it equals the stored pixels rotated")
                .isNotEqualTo(preprocessor.preprocess(TestImages.encode(image, "jpeg"), Specs.rawStretch(4, 6)));
    }

    @Test
    void givesTheSameResultsFromManyThreads() throws Exception {
        List<byte[]> images = List.of(TestImages.encode(TestImages.noise(320, 240, 13), "jpeg"),
                TestImages.encode(TestImages.noise(200, 300, 14), "png"),
                TestImages.encode(TestImages.noise(150, 150, 15), "bmp"),
                TestImages.encode(TestImages.noise(90, 120, 16), "gif"));
        PreprocessSpec spec = PreprocessSpec.resnet50();
        List<float[]> expected = images.stream().map(b -> preprocessor.preprocess(b, spec)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        int k = i % images.size();
                        if (!java.util.Arrays.equals(preprocessor.preprocess(images.get(k), spec), expected.get(k))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Where PIL's exif_transpose takes upright pixel (x, y) from, in a stored w x h image. */
    private static int[] sourceOf(int orientation, int x, int y, int w, int h) {
        return switch (orientation) {
            case 2 -> new int[] {w - 1 - x, y};
            case 3 -> new int[] {w - 1 - x, h - 1 - y};
            case 4 -> new int[] {x, h - 1 - y};
            case 5 -> new int[] {y, x};
            case 6 -> new int[] {y, h - 1 - x};
            case 7 -> new int[] {w - 1 - y, h - 1 - x};
            case 8 -> new int[] {w - 1 - y, x};
            default -> new int[] {x, y};
        };
    }

    private static float normalised(int value, float mean, float std) {
        return (value * (1f / 255f) - mean) / std;
    }
}
