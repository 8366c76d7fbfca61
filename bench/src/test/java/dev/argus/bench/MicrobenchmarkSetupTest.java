package dev.argus.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMH benchmarks reach adapter-imageio's package-private steps by name; a changed signature there must fail this
 * build, not a benchmark run weeks later. The decode, resize and normalise benchmarks' set-up and operations run here,
 * on a generated JPEG.
 */
class MicrobenchmarkSetupTest {
    @TempDir
    static Path images;
    private static String previous;

    @BeforeAll
    static void writePhoto() throws Exception {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                img.setRGB(x, y, (x * 7 & 0xff) << 16 | (y * 5 & 0xff) << 8 | (x + y & 0xff));
            }
        }
        ImageIO.write(img, "jpg", images.resolve("gen.jpg").toFile());
        previous = System.setProperty("argus.bench.images", images.toString());
    }

    @AfterAll
    static void restore() {
        if (previous == null) {
            System.clearProperty("argus.bench.images");
        } else {
            System.setProperty("argus.bench.images", previous);
        }
    }

    @Test
    void decodeBenchmarkDecodesTheRegionTheResizeReads() throws Throwable {
        DecodeBenchmark b = new DecodeBenchmark();
        b.photo = "gen.jpg";
        b.load();
        assertNotNull(b.decode());
        assertNotNull(b.decode());
        assertEquals(1, keptDestinations(b.decoder), "the decoder keeps one destination and reuses it, as the pipeline's does");
    }

    @Test
    void normaliseBenchmarkWritesTheWholeTensor() throws Throwable {
        NormaliseBenchmark b = new NormaliseBenchmark();
        b.fill();
        float[] out = b.normaliseNchw();
        assertEquals(3 * 224 * 224, out.length);
        boolean varied = false;
        for (int i = 1; i < out.length && !varied; i++) {
            varied = out[i] != out[0];
        }
        org.junit.jupiter.api.Assertions.assertTrue(varied, "random pixels give varied values");
    }

    /** How many images the decoder's {@code DecodeBuffers} keep (its private field, read as the benchmarks read theirs). */
    private static int keptDestinations(Object decoder) throws Exception {
        java.lang.reflect.Field f = decoder.getClass().getDeclaredField("buffers");
        f.setAccessible(true);
        Object buffers = f.get(decoder);
        java.lang.reflect.Method kept = buffers.getClass().getDeclaredMethod("kept");
        kept.setAccessible(true);
        return (int) kept.invoke(buffers);
    }

    @Test
    void resizeBenchmarkGivesTheCrop() throws Throwable {
        ResizeBenchmark b = new ResizeBenchmark();
        b.photo = "gen.jpg";
        b.decode();
        assertEquals(224 * 224 * 3, b.resizeToCrop().length);
        assertEquals(224 * 224 * 3, b.resizeWholeThenCrop().length);
    }
}
