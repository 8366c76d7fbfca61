package dev.argus.bench.report;

import dev.argus.domain.ArgusException;
import java.util.Locale;
import java.util.Optional;

/**
 * How far a backend may stray from the reference when both run the same weights: its largest logit difference on an
 * image, as a fraction of the reference's logit range (max - min over the classes) on that image. {@code fp32} holds
 * when both compute in single precision, {@code fp16} when either computes in half precision (TensorRT with
 * {@code argus.tensorrt.precision=fp16}). Top-1 must be equal too, except on a near tie: an image where the reference
 * itself scores the two picks within the same fraction of its range.
 */
public record AgreementTolerance(double fp32, double fp16) {
    /**
     * fp32: 0.1% of the range. Measured on the generated ResNet-50 (60 generated images and 7 photos), onnx against
     * djl-pytorch and djl-tensorflow differ by at most 1.0e-5 of it (rounding and kernel order), 100 times less; the
     * wrong answers of TensorFlow's oneDNN on Zen 5 (logits off by 3.0 on ranges of 2.9 to 31) are 100 times more, as
     * is a pipeline that swaps the colour order (32% to 37%). fp16: 5%. Half precision keeps ~3 significant digits and
     * the error grows with depth: rounding weights and every layer's output to fp16 moved the same ResNet-50's logits by
     * up to 1.8% of the range (16 inputs, no top-1 changed).
     */
    public static final AgreementTolerance DEFAULT = new AgreementTolerance(1e-3, 5e-2);
    /** What {@code --agreement-tolerance} takes: {@code off}, a fraction for fp32, or {@code fp32=R,fp16=R}. */
    public static final String SYNTAX = "off, a fraction of the logit range (0.001: fp32 only), or fp32=R,fp16=R";

    public AgreementTolerance {
        check("fp32", fp32);
        check("fp16", fp16);
    }

    /** The bound for a pair where either backend computes in half precision, or for one where both use fp32. */
    public double forPair(boolean halfPrecision) {
        return halfPrecision ? fp16 : fp32;
    }

    /**
     * The flag's value: {@code off} (judge nothing: the backends run different models), {@code R} (fp32's bound, fp16's
     * stays the default) or {@code fp32=R,fp16=R} (either may be left out). A wrong value is a configuration error.
     */
    public static Optional<AgreementTolerance> parse(String flag) {
        String v = flag == null ? "" : flag.trim();
        if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        double fp32 = DEFAULT.fp32;
        double fp16 = DEFAULT.fp16;
        for (String part : v.split("\\s*,\\s*")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? "fp32" : part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            double value = number(flag, eq < 0 ? part : part.substring(eq + 1).trim());
            switch (name) {
                case "fp32" -> fp32 = value;
                case "fp16" -> fp16 = value;
                default -> throw wrong(flag, "'" + name + "' is neither fp32 nor fp16");
            }
        }
        try {
            return Optional.of(new AgreementTolerance(fp32, fp16));
        } catch (ArgusException e) {
            throw wrong(flag, e.getMessage());
        }
    }

    /** {@code 0.1% of the reference's logit range (fp32), 5% (fp16)}. */
    public String describe() {
        return Format.share(fp32) + " of the reference's logit range (fp32), " + Format.share(fp16) + " (fp16)";
    }

    private static double number(String flag, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw wrong(flag, "'" + s + "' is not a number");
        }
    }

    private static void check(String name, double v) {
        if (!(v > 0 && v <= 1)) {
            throw ArgusException.configuration(name + " must be a fraction of the logit range in (0, 1], got " + v);
        }
    }

    private static ArgusException wrong(String flag, String why) {
        return ArgusException.configuration("--agreement-tolerance takes " + SYNTAX + "; got '" + flag + "': " + why);
    }
}
