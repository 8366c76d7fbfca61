package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reference image, preprocessed by Argus, against the tensor PIL computes the way Hugging Face does
 * ({@code tools/testdata/make_pil_reference.py}). Differences are in normalised units (one 8-bit grey level is about
 * 0.017); Pillow's resampler is ported exactly, so every decoder that gives PIL's pixels gives max 0 here, up to
 * float rounding (~1e-7).
 */
class PilFidelityTest {
    private static final double MAX_MEAN_DIFF = 0.005;
    private static final double MAX_DIFF = 0.05;
    /**
     * Lossy WebP: TwelveMonkeys' VP8 decoder upsamples chroma by pixel repetition where libwebp (PIL) interpolates,
     * so its pixels differ by a few levels. Checked with a looser bound, and reported.
     */
    private static final double LOSSY_WEBP_MAX_MEAN_DIFF = 0.05;
    private static final double LOSSY_WEBP_MAX_DIFF = 0.5;

    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();

    @TestFactory
    Stream<DynamicTest> matchesPilOnEveryReferenceImage() throws Exception {
        return PilReference.entries().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> {
            float[] expected = entry.expected();
            float[] actual = preprocessor.preprocess(Files.readAllBytes(entry.source()), entry.spec());
            assertThat(actual).hasSameSizeAs(expected);
            double sum = 0, max = 0;
            for (int i = 0; i < actual.length; i++) {
                double d = Math.abs(actual[i] - expected[i]);
                sum += d;
                max = Math.max(max, d);
            }
            double mean = sum / actual.length;
            System.out.printf("PIL fidelity %-40s %4dx%-4d mean |diff| %.2e  max |diff| %.2e%s%n", entry.name(),
                    entry.width(), entry.height(), mean, max, max < 1e-4 ? "  (pixel-exact)" : "");
            boolean lossyWebp = entry.name().contains("lossy") && entry.name().contains(".webp");
            assertThat(mean).as("mean |diff| for %s", entry.name())
                    .isLessThan(lossyWebp ? LOSSY_WEBP_MAX_MEAN_DIFF : MAX_MEAN_DIFF);
            assertThat(max).as("max |diff| for %s", entry.name()).isLessThan(lossyWebp ? LOSSY_WEBP_MAX_DIFF : MAX_DIFF);
        }));
    }
}
