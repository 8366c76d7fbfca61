package dev.argus.imageio;

import dev.argus.domain.Resample;

/**
 * Pillow's resampling weights (bicubic or bilinear) for one axis, for a range of output pixels only, in Pillow's
 * fixed-point form.
 *
 * <p>Conventions reproduced from Pillow's {@code Resample.c} (they decide every rounding, so they must match exactly):
 * <ul>
 *   <li>scale = in / out; when shrinking the kernel is stretched by the scale (support = the filter's support, 2 for
 *       bicubic and 1 for bilinear, times max(scale, 1));</li>
 *   <li>output pixel {@code xx} is centred at {@code (xx + 0.5) * scale} in input coordinates, input pixel {@code x}
 *       at {@code x + 0.5};</li>
 *   <li>the taps are input pixels {@code (int) (center - support + 0.5)} (clamped to 0) up to, exclusive,
 *       {@code (int) (center + support + 0.5)} (clamped to the input size), weighted by the kernel (a = -0.5) and
 *       normalised to sum 1 per output pixel, so edges renormalise instead of repeating the border;</li>
 *   <li>weights become integers with 22 fractional bits, rounded half away from zero.</li>
 * </ul>
 * All arithmetic is in double, in the same order as the C code; Java's strict IEEE semantics give the same bits.
 */
final class PillowCoefficients {
    /** Fractional bits of the fixed-point weights: 32 - 8 (pixel) - 2 (headroom for negative lobes). */
    static final int PRECISION_BITS = 22;
    private static final double ONE = 1 << PRECISION_BITS;

    private final int[] first;
    private final int[] count;
    private final int[] weights;
    private final int stride;

    private PillowCoefficients(int[] first, int[] count, int[] weights, int stride) {
        this.first = first;
        this.count = count;
        this.weights = weights;
        this.stride = stride;
    }

    /** Bicubic weights for output pixels {@code from .. from + n - 1} of an {@code inSize -> outSize} resize. */
    static PillowCoefficients compute(int inSize, int outSize, int from, int n) {
        return compute(inSize, outSize, from, n, Resample.BICUBIC);
    }

    /** Weights of {@code filter} for output pixels {@code from .. from + n - 1} of an {@code inSize -> outSize} resize. */
    static PillowCoefficients compute(int inSize, int outSize, int from, int n, Resample filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support() * filterScale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        double inverseFilterScale = 1.0 / filterScale;
        int[] first = new int[n];
        int[] count = new int[n];
        int[] weights = new int[n * stride];
        double[] w = new double[stride];
        for (int i = 0; i < n; i++) {
            double center = (from + i + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                double at = (x + xmin - center + 0.5) * inverseFilterScale;
                w[x] = filter == Resample.BILINEAR ? bilinear(at) : kernel(at);
                sum += w[x];
            }
            for (int x = 0; x < xmax; x++) {
                double k = sum != 0.0 ? w[x] / sum : w[x];
                weights[i * stride + x] = k < 0 ? (int) (-0.5 + k * ONE) : (int) (0.5 + k * ONE);
            }
            first[i] = xmin;
            count[i] = xmax;
        }
        return new PillowCoefficients(first, count, weights, stride);
    }

    /** One tap of weight 1 per output pixel: what Pillow does on an axis whose size does not change (it skips it). */
    static PillowCoefficients identity(int from, int n) {
        int[] first = new int[n];
        int[] count = new int[n];
        int[] weights = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = from + i;
            count[i] = 1;
            weights[i] = 1 << PRECISION_BITS;
        }
        return new PillowCoefficients(first, count, weights, 1);
    }

    /** Keys' cubic convolution kernel with a = -0.5, support 2, written as Pillow writes it. */
    static double kernel(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow's bilinear (triangle) filter, support 1. */
    static double bilinear(double x) {
        if (x < 0.0) {
            x = -x;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /** First input index read for output pixel {@code i} (relative to {@code from}). */
    int first(int i) {
        return first[i];
    }

    int count(int i) {
        return count[i];
    }

    /** Offset of output pixel {@code i}'s weights in {@link #weights()}. */
    int offset(int i) {
        return i * stride;
    }

    int[] weights() {
        return weights;
    }

    /** The input range all requested output pixels read: {@code [first(0), end())}. */
    int end() {
        int end = 0;
        for (int i = 0; i < first.length; i++) {
            end = Math.max(end, first[i] + count[i]);
        }
        return end;
    }
}
