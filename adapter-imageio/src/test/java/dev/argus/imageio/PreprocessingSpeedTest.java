package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.argus.domain.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints decode + resize + crop + normalise time per shared photo (median after warm-up), to compare with PIL's
 * ~8 ms (docs/engines.md, "Decode and preprocessing cost"). Reports only: timing is never asserted, machines differ
 * too much. The photos are optional and outside the repository: without them this test is skipped (docs/README.md,
 * "Optional material outside the repository").
 */
class PreprocessingSpeedTest {
    private static final int WARMUP = 10;
    private static final int RUNS = 15;

    @Test
    void printsMedianTimePerSharedPhoto() throws Exception {
        List<Path> photos = SharedPhotos.jpegs();
        if (photos.isEmpty()) {
            System.out.println("PreprocessingSpeedTest: no photos in " + SharedPhotos.directory() + ", nothing measured");
        }
        assumeTrue(!photos.isEmpty(), "no shared photos");
        ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();
        PreprocessSpec spec = PreprocessSpec.resnet50();
        float[] dst = new float[spec.valuesPerImage()];
        for (int i = 0; i < WARMUP; i++) {
            for (Path photo : photos) {
                preprocessor.preprocess(Files.readAllBytes(photo), spec, dst, 0);
            }
        }
        double total = 0;
        for (Path photo : photos) {
            byte[] bytes = Files.readAllBytes(photo);
            long[] nanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                preprocessor.preprocess(bytes, spec, dst, 0);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double ms = nanos[RUNS / 2] / 1e6;
            total += ms;
            System.out.printf("preprocess %-14s median %6.2f ms (min %6.2f)%n", photo.getFileName(), ms, nanos[0] / 1e6);
        }
        System.out.printf("preprocess mean of medians over %d photos: %.2f ms%n", photos.size(), total / photos.size());
        assertThat(dst).doesNotContain(Float.NaN);
    }
}
