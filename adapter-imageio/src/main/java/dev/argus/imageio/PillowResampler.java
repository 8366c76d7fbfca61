package dev.argus.imageio;

import dev.argus.domain.Resample;
import java.awt.Rectangle;
import java.util.Arrays;

/**
 * A faithful port of Pillow's separable resize for 8-bit RGB ({@code Image.resize(size, Image.BICUBIC)} or
 * {@code Image.BILINEAR}),
 * computing only a rectangle of the output. Pillow resamples horizontally first, rounds to 8 bits ("clip8"), then
 * vertically and rounds again; both roundings are reproduced, so the result equals Pillow's byte for byte. Computing
 * a crop of the output directly gives exactly the pixels of resize-then-crop, because each output pixel depends only
 * on its own weights; and only the source pixels those weights touch ({@link #sourceRegion()}) need decoding.
 */
final class PillowResampler {
    private static final int HALF = 1 << (PillowCoefficients.PRECISION_BITS - 1);
    /**
     * The horizontal pass's rows, kept per thread up to this size: a large photo's (1352 x 900: 0.55 MB) is otherwise
     * a new array per decode, and one over half a G1 region is allocated outside the young generation.
     */
    static final int MAX_KEPT_TEMP = 8 << 20;
    private static final ThreadLocal<byte[]> TEMP = new ThreadLocal<>();

    private final PillowCoefficients horizontal;
    private final PillowCoefficients vertical;
    private final int cropWidth;
    private final int cropHeight;

    private PillowResampler(PillowCoefficients horizontal, PillowCoefficients vertical, int cropWidth, int cropHeight) {
        this.horizontal = horizontal;
        this.vertical = vertical;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
    }

    /**
     * Resizing a {@code width x height} image per {@code plan} with {@code filter}. An axis whose size does not change
     * is copied, as Pillow skips it.
     */
    static PillowResampler plan(int width, int height, ResizePlan plan, Resample filter) {
        int outWidth = plan.resizedWidth(), outHeight = plan.resizedHeight();
        if (plan.cropX() < 0 || plan.cropY() < 0 || plan.cropX() + plan.cropWidth() > outWidth
                || plan.cropY() + plan.cropHeight() > outHeight) {
            throw new IllegalArgumentException("crop outside the resized image: " + plan);
        }
        PillowCoefficients h = outWidth == width
                ? PillowCoefficients.identity(plan.cropX(), plan.cropWidth())
                : PillowCoefficients.compute(width, outWidth, plan.cropX(), plan.cropWidth(), filter);
        PillowCoefficients v = outHeight == height
                ? PillowCoefficients.identity(plan.cropY(), plan.cropHeight())
                : PillowCoefficients.compute(height, outHeight, plan.cropY(), plan.cropHeight(), filter);
        return new PillowResampler(h, v, plan.cropWidth(), plan.cropHeight());
    }

    /** The source pixels the crop depends on; nothing outside is read. */
    Rectangle sourceRegion() {
        int x = horizontal.first(0), y = vertical.first(0);
        return new Rectangle(x, y, horizontal.end() - x, vertical.end() - y);
    }

    /** The crop of the resized image, as packed RGB bytes. */
    byte[] resize(RgbImage src) {
        int firstRow = vertical.first(0);
        byte[] temp = horizontalPass(src, firstRow, vertical.end() - firstRow);
        return verticalPass(temp, firstRow);
    }

    /** Rows {@code firstRow .. firstRow + rows - 1} of the source, resampled across: packed RGB, rounded to 8 bits. */
    private byte[] horizontalPass(RgbImage src, int firstRow, int rows) {
        PillowCoefficients c = horizontal;
        byte[] data = src.data();
        int xStride = src.xStride();
        int r = src.r(), g = src.g(), b = src.b();
        int[] k = c.weights();
        byte[] out = temp(rows * cropWidth * 3);
        int o = 0;
        for (int y = 0; y < rows; y++) {
            int rowBase = src.base() + (firstRow + y) * src.yStride();
            for (int x = 0; x < cropWidth; x++) {
                int s0 = HALF, s1 = HALF, s2 = HALF;
                int p = rowBase + c.first(x) * xStride;
                for (int i = c.offset(x), end = i + c.count(x); i < end; i++, p += xStride) {
                    int w = k[i];
                    s0 += (data[p + r] & 0xFF) * w;
                    s1 += (data[p + g] & 0xFF) * w;
                    s2 += (data[p + b] & 0xFF) * w;
                }
                out[o++] = clip8(s0);
                out[o++] = clip8(s1);
                out[o++] = clip8(s2);
            }
        }
        return out;
    }

    /** An array of at least {@code size} bytes, this thread's kept one when it is large enough. */
    private static byte[] temp(int size) {
        byte[] kept = TEMP.get();
        if (kept != null && kept.length >= size) {
            return kept;
        }
        byte[] fresh = new byte[size];
        if (size <= MAX_KEPT_TEMP) {
            TEMP.set(fresh);
        }
        return fresh;
    }

    /** Resamples the intermediate rows down each column, a whole row at a time (the same integer sums). */
    private byte[] verticalPass(byte[] temp, int firstRow) {
        PillowCoefficients c = vertical;
        int rowLength = cropWidth * 3;
        int[] k = c.weights();
        byte[] out = new byte[cropHeight * rowLength];
        int[] acc = new int[rowLength];
        for (int y = 0; y < cropHeight; y++) {
            Arrays.fill(acc, HALF);
            int row = (c.first(y) - firstRow) * rowLength;
            for (int i = c.offset(y), end = i + c.count(y); i < end; i++, row += rowLength) {
                int w = k[i];
                for (int j = 0; j < rowLength; j++) {
                    acc[j] += (temp[row + j] & 0xFF) * w;
                }
            }
            int o = y * rowLength;
            for (int j = 0; j < rowLength; j++) {
                out[o + j] = clip8(acc[j]);
            }
        }
        return out;
    }

    /** Pillow's clip8: drop the fractional bits (the sum started at one half, so this rounds), clamp to 0..255. */
    static byte clip8(int sum) {
        int v = sum >> PillowCoefficients.PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
