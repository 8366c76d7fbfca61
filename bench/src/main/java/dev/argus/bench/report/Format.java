package dev.argus.bench.report;

import java.util.Locale;

/** Number formatting shared by the Markdown and HTML reports. Null means "not measured" and prints as a dash. */
final class Format {
    static final String NONE = "–";

    private Format() {
    }

    static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? NONE : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Three significant figures, for values from 0.001 to 100000. */
    static String sig(Double v) {
        if (v == null || v.isNaN()) {
            return NONE;
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String mib(Double bytes) {
        return bytes == null || bytes < 0 ? NONE : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    static String percent(Double fraction) {
        return fraction == null ? NONE : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    static String ratio(Double r) {
        return r == null ? NONE : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** Scientific for small differences (logits, scores): 3.2e-05. */
    static String diff(Double d) {
        if (d == null) {
            return NONE;
        }
        return d == 0 ? "0" : String.format(Locale.ROOT, "%.1e", d);
    }

    /** Two significant digits, plainly written: 3, 0.25, 0.000032. */
    static String twoSig(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return NONE;
        }
        return v == 0 ? "0" : new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /** A fraction as a percentage with two significant digits: 0.5 is 50%, 0.001 is 0.1%, 6.1e-6 is 0.00061%. */
    static String share(Double fraction) {
        return fraction == null || fraction.isNaN() || fraction.isInfinite() ? NONE : twoSig(fraction * 100) + "%";
    }

    static String spread(BenchReport.Spread s) {
        if (s.median() == null) {
            return NONE;
        }
        if (s.values().size() < 2) {
            return "n=1";
        }
        return sig(s.min()) + "–" + sig(s.max());
    }
}
