package dev.argus.onnxmodel.quant;

import java.util.HashMap;
import java.util.Map;

/**
 * What calibration saw of each activation tensor, batch after batch: its exact minimum and maximum and a histogram of
 * magnitudes (2048 equal bins from 0 to a bound that doubles, merging bins pairwise, whenever a larger value arrives),
 * from which {@link #ranges} takes min-max or percentile ranges. Memory is fixed per tensor, whatever the number of
 * images.
 */
public final class ActivationStatistics {
    static final int BINS = 2048;

    private final Map<String, Tensor> tensors = new HashMap<>();

    private static final class Tensor {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        double bound;
        final long[] counts = new long[BINS];
        long total;
    }

    /** Adds the values one run produced for {@code tensor}; non-finite values fail (the model overflows). */
    public void add(String tensor, float[] values) {
        Tensor t = tensors.computeIfAbsent(tensor, k -> new Tensor());
        float peak = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("tensor '" + tensor + "' holds " + v + " for a calibration image");
            }
            t.min = Math.min(t.min, v);
            t.max = Math.max(t.max, v);
            peak = Math.max(peak, Math.abs(v));
        }
        if (t.bound == 0) {
            t.bound = peak > 0 ? peak : 1e-6;
        }
        while (peak > t.bound) {
            for (int i = 0; i < BINS / 2; i++) {
                t.counts[i] = t.counts[2 * i] + t.counts[2 * i + 1];
            }
            java.util.Arrays.fill(t.counts, BINS / 2, BINS, 0);
            t.bound *= 2;
        }
        double perBin = BINS / t.bound;
        for (float v : values) {
            t.counts[(int) Math.min(BINS - 1, Math.abs(v) * perBin)]++;
        }
        t.total += values.length;
    }

    /** The number of values seen for {@code tensor} (0 if none). */
    public long count(String tensor) {
        Tensor t = tensors.get(tensor);
        return t == null ? 0 : t.total;
    }

    /** A range per tensor seen, by {@code method}. */
    public Map<String, TensorRange> ranges(CalibrationMethod method) {
        Map<String, TensorRange> out = new HashMap<>();
        tensors.forEach((name, t) -> {
            if (t.total > 0) {
                out.put(name, range(t, method));
            }
        });
        return out;
    }

    private static TensorRange range(Tensor t, CalibrationMethod method) {
        if (method.kind() == CalibrationMethod.Kind.MINMAX || method.percentile() >= 100) {
            return new TensorRange(t.min, t.max);
        }
        long keep = (long) Math.ceil(t.total * method.percentile() / 100.0);
        long seen = 0;
        int bin = 0;
        while (bin < BINS - 1 && seen + t.counts[bin] < keep) {
            seen += t.counts[bin];
            bin++;
        }
        float limit = (float) ((bin + 1) * t.bound / BINS);
        return new TensorRange(Math.max(t.min, -limit), Math.min(t.max, limit));
    }
}
