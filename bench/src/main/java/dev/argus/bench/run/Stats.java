package dev.argus.bench.run;

import java.util.Arrays;
import java.util.List;

/** Order statistics. Percentiles use the nearest-rank method on sorted copies; inputs are never modified. */
public final class Stats {
    private Stats() {
    }

    /** The {@code p}-th percentile (0..100) by nearest rank; NaN for no values. */
    public static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] s = values.clone();
        Arrays.sort(s);
        return s[rank(s.length, p)];
    }

    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s[rank(s.length, p)];
    }

    private static int rank(int n, double p) {
        int r = (int) Math.ceil(p * n / 100.0) - 1;
        return Math.max(0, Math.min(n - 1, r));
    }

    /** The median: the mean of the middle two for an even count. NaN for none. */
    public static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    public static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    /** {@code count} evenly spaced quantiles from 0 to 100, e.g. 21 gives every 5th percentile; for distributions. */
    public static double[] quantiles(long[] values, int count) {
        double[] q = new double[count];
        if (values.length == 0) {
            Arrays.fill(q, Double.NaN);
            return q;
        }
        long[] s = values.clone();
        Arrays.sort(s);
        for (int i = 0; i < count; i++) {
            double p = count == 1 ? 50 : 100.0 * i / (count - 1);
            q[i] = p == 0 ? s[0] : s[rank(s.length, p)];
        }
        return q;
    }
}
