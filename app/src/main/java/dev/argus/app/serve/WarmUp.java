package dev.argus.app.serve;

import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.in.ClassifyImageUseCase;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Runs a few classifications through the whole pipeline (decode, preprocess, engine) before a server reports ready,
 * so that the first real request does not pay for JIT compilation and the engine's first-run allocations.
 */
public final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());

    private WarmUp() {
    }

    /** Runs {@code rounds} classifications of a synthetic photo-sized JPEG; returns the last one's wall time in ms. */
    public static double run(ClassifyImageUseCase useCase, int rounds) {
        byte[] jpeg = syntheticJpeg();
        double lastMs = 0;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            ClassificationResult r = useCase.classify(ImageInput.of(jpeg), ClassifyOptions.defaults());
            lastMs = (System.nanoTime() - t0) / 1e6;
            if (r.classifications().isEmpty()) {
                throw new IllegalStateException("warm-up classification returned no classes");
            }
        }
        LOG.log(System.Logger.Level.INFO, "Warm-up: {0} classifications in {1} ms, last {2} ms", rounds,
                (System.nanoTime() - start) / 1_000_000, String.format("%.1f", lastMs));
        return lastMs;
    }

    private static byte[] syntheticJpeg() {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, (x * 255 / 639) << 16 | (y * 255 / 479) << 8 | ((x ^ y) & 0xff));
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
