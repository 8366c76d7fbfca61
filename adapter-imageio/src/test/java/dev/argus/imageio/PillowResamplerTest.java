package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import dev.argus.domain.Resample;
import java.awt.Rectangle;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PillowResamplerTest {

    @Test
    void kernelIsKeysCubicWithAMinusHalf() {
        assertThat(PillowCoefficients.kernel(0)).isEqualTo(1.0);
        assertThat(PillowCoefficients.kernel(0.5)).isEqualTo(0.5625);    // (1.5 * 0.5 - 2.5) * 0.25 + 1
        assertThat(PillowCoefficients.kernel(-0.5)).isEqualTo(0.5625);
        assertThat(PillowCoefficients.kernel(1)).isEqualTo(0.0);
        assertThat(PillowCoefficients.kernel(1.5)).isEqualTo(-0.0625);   // ((-3.5 * 1.5 + 8) * 1.5 - 4) * -0.5
        assertThat(PillowCoefficients.kernel(2)).isEqualTo(0.0);
        assertThat(PillowCoefficients.kernel(7)).isEqualTo(0.0);
    }

    @Test
    void computesPillowsFixedPointWeightsForADoubling() {
        // 2 -> 4: output 0 is centred at 0.25; taps 0 and 1 weigh kernel(0.25) = 0.8671875 and kernel(1.25) =
        // -0.0703125, normalised by their sum 0.796875, then times 2^22 rounded half away from zero.
        PillowCoefficients c = PillowCoefficients.compute(2, 4, 0, 4);
        assertThat(c.first(0)).isZero();
        assertThat(c.count(0)).isEqualTo(2);
        assertThat(c.weights()[c.offset(0)]).isEqualTo(4_564_390);
        assertThat(c.weights()[c.offset(0) + 1]).isEqualTo(-370_086);
        for (int i = 0; i < 4; i++) {
            int sum = 0;
            for (int k = 0; k < c.count(i); k++) {
                sum += c.weights()[c.offset(i) + k];
            }
            assertThat(sum).isBetween((1 << 22) - 2, (1 << 22) + 2);
        }
    }

    @Test
    void bilinearIsPillowsTriangleOfSupportOne() {
        assertThat(PillowCoefficients.bilinear(0)).isEqualTo(1.0);
        assertThat(PillowCoefficients.bilinear(0.25)).isEqualTo(0.75);
        assertThat(PillowCoefficients.bilinear(-0.75)).isEqualTo(0.25);
        assertThat(PillowCoefficients.bilinear(1)).isEqualTo(0.0);
        // 100 -> 10 bilinear: support 1 x scale 10 either side of the centre 55 (bicubic's is 20)
        PillowCoefficients c = PillowCoefficients.compute(100, 10, 5, 1, Resample.BILINEAR);
        assertThat(c.first(0)).isEqualTo(45); // (int) (55 - 10 + 0.5)
        assertThat(c.count(0)).isEqualTo(20);
    }

    @Test
    void bilinearAndBicubicGivePilsPixelsOnAnUpscale() {
        // PIL: Image.fromarray([[0, 255]]).resize((4, 1), BILINEAR) == [0, 64, 191, 255]; BICUBIC == [0, 53, 202, 255]
        byte[] row = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255};
        RgbImage src = RgbImage.packed(row, 2, 1);
        byte[] bilinear = PillowResampler.plan(2, 1, new ResizePlan(4, 1, 0, 0, 4, 1), Resample.BILINEAR).resize(src);
        byte[] bicubic = PillowResampler.plan(2, 1, new ResizePlan(4, 1, 0, 0, 4, 1), Resample.BICUBIC).resize(src);
        int[] expectBilinear = {0, 64, 191, 255};
        int[] expectBicubic = {0, 53, 202, 255};
        for (int x = 0; x < 4; x++) {
            assertThat(bilinear[3 * x] & 0xFF).as("bilinear x=" + x).isEqualTo(expectBilinear[x]);
            assertThat(bicubic[3 * x] & 0xFF).as("bicubic x=" + x).isEqualTo(expectBicubic[x]);
        }
    }

    @Test
    void widensTheKernelWhenShrinking() {
        // 100 -> 10: scale 10, support 20 either side of the centre 5.0 + 10 * i.
        PillowCoefficients c = PillowCoefficients.compute(100, 10, 5, 1);
        assertThat(c.first(0)).isEqualTo(35); // (int) (55 - 20 + 0.5)
        assertThat(c.count(0)).isEqualTo(40); // up to (int) (55 + 20 + 0.5) = 75
    }

    @Test
    void matchesPilOnHandCheckedUpscales() {
        // Values from PIL 9.4: Image.fromarray(...).resize(size, Image.BICUBIC).
        assertThat(resizeGrey(new int[][] {{100, 200}}, 4, 1)).isEqualTo(new int[][] {{91, 121, 179, 209}});
        assertThat(resizeGrey(new int[][] {{0, 255, 0, 255, 0, 255, 0, 255}}, 3, 1)).isEqualTo(new int[][] {{112, 127, 143}});
        // Both passes, clipping at both ends, intermediate rounding.
        assertThat(resizeGrey(new int[][] {{10, 250, 10}, {250, 10, 250}}, 5, 4)).isEqualTo(new int[][] {
                {0, 101, 255, 101, 0}, {53, 115, 200, 115, 53}, {202, 145, 60, 145, 202}, {255, 159, 0, 159, 255}});
    }

    @Test
    void keepsUniformImagesUniformAndSameSizeImagesUnchanged() {
        int[][] flat = new int[37][53];
        for (int[] row : flat) {
            java.util.Arrays.fill(row, 77);
        }
        int[][] resized = resizeGrey(flat, 20, 90);
        for (int[] row : resized) {
            assertThat(row).containsOnly(77);
        }
        int[][] noise = randomGrey(17, 13, 1);
        assertThat(resizeGrey(noise, 17, 13)).isEqualTo(noise);
    }

    @Test
    void computingACropEqualsCroppingTheFullResize() {
        int[][] noise = randomGrey(91, 67, 2);
        int outW = 41, outH = 150;
        int[][] full = resizeGrey(noise, outW, outH);
        ResizePlan crop = new ResizePlan(outW, outH, 7, 33, 20, 100);
        PillowResampler resampler = PillowResampler.plan(91, 67, crop, Resample.BICUBIC);
        byte[] rgb = resampler.resize(grey(noise));
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(rgb[(y * 20 + x) * 3] & 0xFF).isEqualTo(full[33 + y][7 + x]);
            }
        }
    }

    @Test
    void namesExactlyTheSourcePixelsTheCropReads() {
        PillowResampler resampler = PillowResampler.plan(2, 2, new ResizePlan(4, 4, 0, 0, 4, 4), Resample.BICUBIC);
        assertThat(resampler.sourceRegion()).isEqualTo(new Rectangle(0, 0, 2, 2));
        // 1000 -> 100 (scale 10, support 20): output column 50 is centred at 505, reads 485 .. 524.
        PillowResampler crop = PillowResampler.plan(1000, 100, new ResizePlan(100, 100, 50, 0, 1, 100), Resample.BICUBIC);
        assertThat(crop.sourceRegion()).isEqualTo(new Rectangle(485, 0, 40, 100));
    }

    /**
     * The resampler against Pillow's two passes written out pixel by pixel from the weights (horizontal sums rounded
     * to 8 bits, then vertical ones), on colour noise: shrinks and enlargements, both filters, crops, EXIF-rotated
     * views, one strip of rows and many, and an image so wide that a strip is one row.
     */
    @Test
    void everyPixelIsPillowsTwoRoundedPassesWhateverTheStripsAndStrides() {
        Random random = new Random(7);
        int[][] cases = {
            {768, 576, 256, 256}, {97, 61, 224, 150}, {1352, 900, 336, 224}, {40, 700, 30, 500}, {3, 2, 224, 224},
            {PillowResampler.STRIP_INTS / 3 + 5, 4, 224, 3},
        };
        for (int[] size : cases) {
            int w = size[0], h = size[1], outW = size[2], outH = size[3];
            byte[] data = new byte[w * h * 4];
            random.nextBytes(data);
            // BGRA rows, read as RGB: channel offsets and an x stride other than 3
            RgbImage stored = new RgbImage(data, w, h, 0, 4, w * 4, 2, 1, 0);
            for (int orientation : new int[] {1, 6, 3}) {
                RgbImage src = stored.oriented(orientation);
                int ow = orientation == 6 ? outH : outW, oh = orientation == 6 ? outW : outH;
                for (Resample filter : new Resample[] {Resample.BICUBIC, Resample.BILINEAR}) {
                    int cropW = Math.max(1, ow - 2 * (ow / 7)), cropH = Math.max(1, oh - 2 * (oh / 9));
                    ResizePlan plan = new ResizePlan(ow, oh, ow / 7, oh / 9, cropW, cropH);
                    byte[] actual = PillowResampler.plan(src.width(), src.height(), plan, filter).resize(src);
                    assertThat(actual).as("%dx%d -> %dx%d, orientation %d, %s", w, h, ow, oh, orientation, filter)
                            .isEqualTo(twoPasses(src, plan, filter));
                }
            }
        }
    }

    private static byte[] twoPasses(RgbImage src, ResizePlan plan, Resample filter) {
        PillowCoefficients h = plan.resizedWidth() == src.width()
                ? PillowCoefficients.identity(plan.cropX(), plan.cropWidth())
                : PillowCoefficients.compute(src.width(), plan.resizedWidth(), plan.cropX(), plan.cropWidth(), filter);
        PillowCoefficients v = plan.resizedHeight() == src.height()
                ? PillowCoefficients.identity(plan.cropY(), plan.cropHeight())
                : PillowCoefficients.compute(src.height(), plan.resizedHeight(), plan.cropY(), plan.cropHeight(), filter);
        int half = 1 << (PillowCoefficients.PRECISION_BITS - 1);
        int[][][] across = new int[src.height()][plan.cropWidth()][3];
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < plan.cropWidth(); x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = half;
                    for (int i = 0; i < h.count(x); i++) {
                        sum += src.sample(h.first(x) + i, y, c) * h.weights()[h.offset(x) + i];
                    }
                    across[y][x][c] = PillowResampler.clip8(sum) & 0xFF;
                }
            }
        }
        byte[] out = new byte[plan.cropWidth() * plan.cropHeight() * 3];
        for (int y = 0; y < plan.cropHeight(); y++) {
            for (int x = 0; x < plan.cropWidth(); x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = half;
                    for (int i = 0; i < v.count(y); i++) {
                        sum += across[v.first(y) + i][x][c] * v.weights()[v.offset(y) + i];
                    }
                    out[(y * plan.cropWidth() + x) * 3 + c] = PillowResampler.clip8(sum);
                }
            }
        }
        return out;
    }

    /**
     * What a decode reserves for the resize covers what the resize allocates, measured on a fresh thread (which keeps
     * no arrays yet): a photo, an image so wide that a strip is one row of a million columns, and one so tall that
     * the vertical pass reads thousands of rows.
     */
    @Test
    void pricesWhatItsPassesAllocate() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        int[][] cases = {{768, 576, 341, 256, 58, 16}, {1_000_000, 2, 224, 224, 0, 0}, {50, 8_000, 224, 224, 0, 0}};
        for (int[] c : cases) {
            PillowResampler resampler = PillowResampler.plan(c[0], c[1],
                    new ResizePlan(c[2], c[3], c[4], c[5], 224, 224), Resample.BICUBIC);
            Rectangle region = resampler.sourceRegion();
            RgbImage src = RgbImage.packed(new byte[region.width * region.height * 3], region.width, region.height)
                    .placedAt(region, c[0], c[1]);
            long[] allocated = new long[1];
            Thread fresh = new Thread(() -> {
                long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                resampler.resize(src);
                allocated[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            });
            fresh.start();
            fresh.join();
            assertThat(resampler.workingBytes()).as("%d x %d", c[0], c[1])
                    .isGreaterThanOrEqualTo(allocated[0] - 16 * 1024)
                    .isLessThan(2 * allocated[0]);
        }
    }

    @Test
    void clip8RoundsAndClamps() {
        assertThat(PillowResampler.clip8(-5 << 22)).isEqualTo((byte) 0);
        assertThat(PillowResampler.clip8(300 << 22) & 0xFF).isEqualTo(255);
        assertThat(PillowResampler.clip8((12 << 22) + (1 << 21)) & 0xFF).isEqualTo(12);
    }

    private static int[][] resizeGrey(int[][] pixels, int outW, int outH) {
        int w = pixels[0].length, h = pixels.length;
        byte[] rgb = PillowResampler.plan(w, h, new ResizePlan(outW, outH, 0, 0, outW, outH), Resample.BICUBIC).resize(grey(pixels));
        int[][] out = new int[outH][outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                out[y][x] = rgb[(y * outW + x) * 3] & 0xFF;
                assertThat(rgb[(y * outW + x) * 3 + 2] & 0xFF).isEqualTo(out[y][x]);
            }
        }
        return out;
    }

    private static RgbImage grey(int[][] pixels) {
        int w = pixels[0].length, h = pixels.length;
        byte[] data = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                data[y * w + x] = (byte) pixels[y][x];
            }
        }
        return new RgbImage(data, w, h, 0, 1, w, 0, 0, 0);
    }

    private static int[][] randomGrey(int w, int h, long seed) {
        Random random = new Random(seed);
        int[][] out = new int[h][w];
        for (int[] row : out) {
            for (int x = 0; x < w; x++) {
                row[x] = random.nextInt(256);
            }
        }
        return out;
    }
}
