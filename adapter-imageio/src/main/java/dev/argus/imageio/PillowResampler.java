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
     * Source rows a strip of the horizontal pass takes: enough for its loops to run mostly as vector instructions, and
     * the same for every photo, so that a thread's kept strip fits the next photo.
     */
    static final int STRIP_ROWS = 32;
    /**
     * The most ints a strip holds (512 KiB): fewer rows than {@link #STRIP_ROWS} for a region over 1,365 columns wide,
     * and one row for a region over 21,845 columns wide.
     */
    static final int STRIP_INTS = 128 * 1024;
    /**
     * The working arrays a thread keeps between resizes, up to this many ints (8 MiB) in all (a 12-megapixel photo's
     * take under 1 MiB); a larger image's are dropped after its resize.
     */
    static final long MAX_KEPT_INTS = 2L << 20;
    /** What an int array takes besides its ints (header and padding, rounded up). */
    private static final long ARRAY_OVERHEAD = 24;

    private final PillowCoefficients horizontal;
    private final PillowCoefficients vertical;
    private final int cropWidth;
    private final int cropHeight;
    /** Source columns the horizontal pass reads, source rows the vertical one reads, and rows a strip takes. */
    private final int columnCount;
    private final int rowCount;
    private final int stripRows;
    /** The most source rows one output row reads, and the rows across the vertical pass holds at once. */
    private final int maxTaps;
    private final int windowRows;

    private PillowResampler(PillowCoefficients horizontal, PillowCoefficients vertical, int cropWidth, int cropHeight) {
        this.horizontal = horizontal;
        this.vertical = vertical;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        this.columnCount = horizontal.end() - horizontal.first(0);
        this.rowCount = vertical.end() - vertical.first(0);
        this.stripRows = Math.max(1, Math.min(Math.min(rowCount, STRIP_ROWS), STRIP_INTS / Math.max(1, columnCount * 3)));
        int taps = 1;
        for (int y = 0; y < cropHeight; y++) {
            taps = Math.max(taps, vertical.count(y));
        }
        this.maxTaps = taps;
        this.windowRows = Math.min(rowCount, taps + stripRows);
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
        return new Rectangle(x, y, columnCount, rowCount);
    }

    /**
     * The bytes the two passes work in, so that a decode's price includes them: the horizontal pass's strip (at most
     * {@link #STRIP_INTS} ints, but one row of the source region when a row is more: an image tens of thousands of
     * columns wide), the rows resampled across that the vertical pass still needs (as ints: its widest window of taps
     * plus a strip), and the result.
     */
    long workingBytes() {
        int stripLength = stripRows * 3, rowLength = cropWidth * 3;
        long strip = columnCount * (ARRAY_OVERHEAD + 4L * stripLength);
        long window = windowRows * (ARRAY_OVERHEAD + 4L * rowLength) + 2 * ARRAY_OVERHEAD + 4L * (maxTaps + stripRows);
        long acc = ARRAY_OVERHEAD + 4L * Math.max(stripLength, rowLength);
        return strip + window + acc + ARRAY_OVERHEAD + (long) cropWidth * cropHeight * 3;
    }

    /** The crop of the resized image, as packed RGB bytes. */
    byte[] resize(RgbImage src) {
        Work work = Work.of();
        try {
            return resample(src, work);
        } finally {
            work.trim();
        }
    }

    /**
     * Both passes, the vertical one as soon as the rows it needs have been resampled across: those rows are kept in
     * a ring of {@code windowRows} int arrays (the widest window of taps plus a strip), not for the whole region, so a
     * large image's intermediate rows take a few hundred KiB rather than tens of MiB.
     *
     * <p>The horizontal pass runs a strip of rows at a time, turned on its side: each source column's samples for the
     * strip's rows are copied, widened to int, into an array of their own. Each output pixel's weighted sum then runs
     * down whole columns at once: a loop over adjacent ints, four taps at a time, which the JIT turns into vector
     * instructions. Pixel by pixel across a row it is a loop of a few taps over three interleaved channels, with its
     * own set-up for every pixel. Separate arrays, not one with an offset for each column, because the JIT of Java 17
     * vectorises {@code a[j] += b[j] * w} but not {@code a[j] += b[offset + j] * w} (it cannot align the two), nor a
     * byte widened to int; for the same reason the rows across are ints. The sums are the same integers in another
     * order, so the result is unchanged.
     */
    private byte[] resample(RgbImage src, Work work) {
        PillowCoefficients c = horizontal, v = vertical;
        byte[] data = src.data();
        int xStride = src.xStride(), yStride = src.yStride();
        int r = src.r(), g = src.g(), b = src.b();
        int[] k = c.weights();
        int firstColumn = c.first(0), firstRow = v.first(0);
        int rowLength = cropWidth * 3;
        int[][] columns = work.columns(columnCount, stripRows * 3);
        int[] acc = work.acc(Math.max(stripRows * 3, rowLength));
        int[][] ring = work.rows(windowRows, rowLength);
        int[][] taps = work.taps(Math.max(maxTaps, stripRows));
        int[][] strip = new int[stripRows][];
        byte[] out = new byte[cropHeight * rowLength];
        int next = 0; // the next output row
        for (int top = 0; top < rowCount; top += stripRows) {
            int n = Math.min(stripRows, rowCount - top);
            int len = n * 3;
            int p = src.base() + (firstRow + top) * yStride + firstColumn * xStride;
            for (int x = 0; x < columnCount; x++, p += xStride) {
                int[] column = columns[x];
                for (int y = 0, q = p; y < len; y += 3, q += yStride) {
                    column[y] = data[q + r] & 0xFF;
                    column[y + 1] = data[q + g] & 0xFF;
                    column[y + 2] = data[q + b] & 0xFF;
                }
            }
            for (int i = 0; i < n; i++) {
                strip[i] = ring[(top + i) % windowRows];
            }
            for (int x = 0; x < cropWidth; x++) {
                sum(acc, len, columns, c.first(x) - firstColumn, k, c.offset(x), c.count(x));
                for (int i = 0, y = 0, o = x * 3; i < n; i++, y += 3) {
                    int[] row = strip[i];
                    row[o] = clip8(acc[y]) & 0xFF;
                    row[o + 1] = clip8(acc[y + 1]) & 0xFF;
                    row[o + 2] = clip8(acc[y + 2]) & 0xFF;
                }
            }
            // output rows whose taps have all been resampled across; a window only moves down, so the rows the ring
            // overwrites next are before every window still to come
            int done = top + n;
            for (; next < cropHeight && v.first(next) - firstRow + v.count(next) <= done; next++) {
                int first = v.first(next) - firstRow, count = v.count(next);
                for (int t = 0; t < count; t++) {
                    taps[t] = ring[(first + t) % windowRows];
                }
                sum(acc, rowLength, taps, 0, v.weights(), v.offset(next), count);
                for (int j = 0, o = next * rowLength; j < rowLength; j++) {
                    out[o + j] = clip8(acc[j]);
                }
            }
        }
        if (next != cropHeight) {
            throw new IllegalStateException("resampled " + next + " of " + cropHeight + " rows");
        }
        return out;
    }

    /**
     * {@code acc[j] = HALF + sum of lines[first + t][j] * weights[offset + t]} for {@code t < count}, {@code j < len}:
     * one output pixel's sums (its taps' weights times the lines they fall on), four lines a loop.
     */
    private static void sum(int[] acc, int len, int[][] lines, int first, int[] weights, int offset, int count) {
        Arrays.fill(acc, 0, len, HALF);
        int t = 0;
        for (; t + 3 < count; t += 4) {
            int[] l0 = lines[first + t], l1 = lines[first + t + 1], l2 = lines[first + t + 2], l3 = lines[first + t + 3];
            int w0 = weights[offset + t], w1 = weights[offset + t + 1];
            int w2 = weights[offset + t + 2], w3 = weights[offset + t + 3];
            for (int j = 0; j < len; j++) {
                acc[j] += l0[j] * w0 + l1[j] * w1 + l2[j] * w2 + l3[j] * w3;
            }
        }
        for (; t < count; t++) {
            int[] l0 = lines[first + t];
            int w0 = weights[offset + t];
            for (int j = 0; j < len; j++) {
                acc[j] += l0[j] * w0;
            }
        }
    }

    /**
     * A thread's working arrays, kept between resizes (so that a photo's passes allocate nothing) up to
     * {@link #MAX_KEPT_INTS} in all. Lines of the length needed are added to the kept ones; lines of another length
     * replace them. Either way a resize allocates no more than the lines it uses, which {@link #workingBytes()} prices.
     */
    private static final class Work {
        private static final ThreadLocal<Work> KEPT = ThreadLocal.withInitial(Work::new);
        private static final int[][] NONE = new int[0][];
        private int[][] columns = NONE;
        private int[][] rows = NONE;
        private int[] acc = new int[0];
        private int[][] taps = NONE;

        static Work of() {
            return KEPT.get();
        }

        int[][] columns(int count, int length) {
            columns = fit(columns, count, length);
            return columns;
        }

        int[][] rows(int count, int length) {
            rows = fit(rows, count, length);
            return rows;
        }

        int[][] taps(int count) {
            if (taps.length < count) {
                taps = new int[count][];
            }
            return taps;
        }

        int[] acc(int length) {
            if (acc.length < length) {
                acc = new int[length];
            }
            return acc;
        }

        /** Drops what is over the bound, so that one huge image does not stay in memory. */
        void trim() {
            if (ints(columns) + ints(rows) + acc.length + taps.length > MAX_KEPT_INTS) {
                columns = NONE;
                rows = NONE;
                taps = NONE;
                acc = new int[0];
            }
        }

        private static int[][] fit(int[][] kept, int count, int length) {
            if (kept.length == 0 || kept[0].length != length) {
                return new int[count][length];
            }
            if (kept.length >= count) {
                return kept;
            }
            int[][] grown = Arrays.copyOf(kept, count);
            for (int i = kept.length; i < count; i++) {
                grown[i] = new int[length];
            }
            return grown;
        }

        private static long ints(int[][] lines) {
            return lines.length == 0 ? 0 : (long) lines.length * lines[0].length;
        }
    }

    /** Pillow's clip8: drop the fractional bits (the sum started at one half, so this rounds), clamp to 0..255. */
    static byte clip8(int sum) {
        int v = sum >> PillowCoefficients.PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
