package dev.argus.onnxmodel.quant;

import java.util.Locale;

/**
 * How a tensor's calibration values become its range.
 *
 * <ul>
 *   <li>{@code MINMAX}: the smallest and largest values seen. Nothing seen is ever clipped, but one outlier stretches
 *       the range and costs every other value resolution.
 *   <li>{@code PERCENTILE}: the range holding {@code percentile} % of the magnitudes seen, clipping the rarest
 *       extremes for finer steps everywhere else (never wider than min-max).
 * </ul>
 */
public record CalibrationMethod(Kind kind, double percentile) {
    public enum Kind { MINMAX, PERCENTILE }

    public CalibrationMethod {
        if (kind == Kind.PERCENTILE && !(percentile > 90 && percentile <= 100)) {
            throw new IllegalArgumentException("a percentile must be in (90, 100], got " + percentile);
        }
    }

    public static CalibrationMethod minMax() {
        return new CalibrationMethod(Kind.MINMAX, 100);
    }

    public static CalibrationMethod percentile(double p) {
        return new CalibrationMethod(Kind.PERCENTILE, p);
    }

    /** {@code minmax}, or {@code percentile} / {@code percentile:P} (default 99.999). */
    public static CalibrationMethod parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.equals("minmax") || v.equals("min-max")) {
            return minMax();
        }
        if (v.equals("percentile")) {
            return percentile(99.999);
        }
        if (v.startsWith("percentile:")) {
            try {
                return percentile(Double.parseDouble(v.substring("percentile:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("percentile:P needs a number, got '" + s + "'", e);
            }
        }
        throw new IllegalArgumentException("the calibration method is minmax, percentile or percentile:P (e.g. percentile:99.99), got '" + s + "'");
    }

    @Override
    public String toString() {
        return kind == Kind.MINMAX ? "minmax" : "percentile:" + percentile;
    }
}
