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
    /**
     * The most ints a strip of the horizontal pass holds (256 KiB, within a core's L2 cache): as many source rows as
     * fit, so a photo 700 columns wide goes 30 rows at a time, one 20,000 wide a row at a time.
     */
    static final int STRIP_INTS = 64 * 1024;

    private final PillowCoefficients horizontal;
    private final PillowCoefficients vertical;
    private final int cropWidth;
    private final int cropHeight;
    /** Source columns the horizontal pass reads, and how many source rows it takes at a time. */
    private final int columnCount;
    private final int stripRows;

    private PillowResampler(PillowCoefficients horizontal, PillowCoefficients vertical, int cropWidth, int cropHeight) {
        this.horizontal = horizontal;
        this.vertical = vertical;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        this.columnCount = horizontal.end() - horizontal.first(0);
        int rows = vertical.end() - vertical.first(0);
        this.stripRows = Math.max(1, Math.min(rows, STRIP_INTS / Math.max(1, columnCount * 3)));
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

    /**
     * The bytes of the horizontal pass's strip: at most {@link #STRIP_INTS} ints, but a row of the source region when
     * one row is more (an image tens of thousands of columns wide), so a decode's price includes it.
     */
    long stripBytes() {
        return 4L * (columnCount + 1) * stripRows * 3;
    }

    /** The crop of the resized image, as packed RGB bytes. */
    byte[] resize(RgbImage src) {
        int firstRow = vertical.first(0);
        byte[] temp = horizontalPass(src, firstRow, vertical.end() - firstRow);
        return verticalPass(temp, firstRow);
    }

    /**
     * Rows {@code firstRow .. firstRow + rows - 1} of the source, resampled across: packed RGB, rounded to 8 bits.
     *
     * <p>Done a strip of rows at a time, turned on its side: the strip's source columns are copied, widened to int,
     * into {@code columns} so that one source column's samples for every row of the strip lie next to each other.
     * Each output pixel's weighted sum then runs down whole columns at once: one long loop over adjacent ints per tap,
     * where pixel by pixel across a row it is a loop of a few taps over three interleaved channels, with its own
     * set-up for every pixel (0.82x the time on a 768 x 576 photo, {@code ResizeBenchmark}). The sums are the same
     * integers in another order, so the result is unchanged.
     */
    private byte[] horizontalPass(RgbImage src, int firstRow, int rows) {
        PillowCoefficients c = horizontal;
        byte[] data = src.data();
        int xStride = src.xStride();
        int r = src.r(), g = src.g(), b = src.b();
        int[] k = c.weights();
        int firstColumn = c.first(0);
        int rowLength = cropWidth * 3;
        Scratch scratch = Scratch.of(columnCount * stripRows * 3, stripRows * 3);
        int[] columns = scratch.columns;
        int[] acc = scratch.acc;
        byte[] out = temp(rows * rowLength);
        for (int top = 0; top < rows; top += stripRows) {
            int n = Math.min(stripRows, rows - top);
            int len = n * 3;
            for (int y = 0; y < n; y++) {
                int p = src.base() + (firstRow + top + y) * src.yStride() + firstColumn * xStride;
                for (int x = 0, o = y * 3; x < columnCount; x++, o += len, p += xStride) {
                    columns[o] = data[p + r] & 0xFF;
                    columns[o + 1] = data[p + g] & 0xFF;
                    columns[o + 2] = data[p + b] & 0xFF;
                }
            }
            for (int x = 0; x < cropWidth; x++) {
                Arrays.fill(acc, 0, len, HALF);
                int column = (c.first(x) - firstColumn) * len;
                for (int i = c.offset(x), end = i + c.count(x); i < end; i++, column += len) {
                    int w = k[i];
                    for (int j = 0; j < len; j++) {
                        acc[j] += columns[column + j] * w;
                    }
                }
                for (int y = 0, o = top * rowLength + x * 3; y < len; y += 3, o += rowLength) {
                    out[o] = clip8(acc[y]);
                    out[o + 1] = clip8(acc[y + 1]);
                    out[o + 2] = clip8(acc[y + 2]);
                }
            }
        }
        return out;
    }

    /** The horizontal pass's working arrays, kept per thread (a strip: at most {@link #STRIP_INTS} ints, or a row). */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> KEPT = new ThreadLocal<>();
        final int[] columns;
        final int[] acc;

        private Scratch(int columns, int acc) {
            this.columns = new int[columns];
            this.acc = new int[acc];
        }

        static Scratch of(int columns, int acc) {
            Scratch kept = KEPT.get();
            if (kept != null && kept.columns.length >= columns && kept.acc.length >= acc) {
                return kept;
            }
            Scratch fresh = new Scratch(Math.max(columns, kept == null ? 0 : kept.columns.length),
                    Math.max(acc, kept == null ? 0 : kept.acc.length));
            if (fresh.columns.length <= 4 * STRIP_INTS) {
                KEPT.set(fresh); // a strip of one row of an image over 87,000 columns wide is not kept
            }
            return fresh;
        }
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
