package dev.argus.tensorrt;

/**
 * IEEE 754 binary16 ("half", ONNX FLOAT16) from and to float32, bit-exact: round to nearest, ties to even; values
 * beyond the largest half (65504, or from 65520 on, where rounding reaches the next binade) become infinity; values
 * below half the smallest subnormal (2^-25) become zero of the same sign; NaN stays NaN (quiet, top payload bits
 * kept). Java 17 has no {@code Float.floatToFloat16} (it came in Java 20).
 */
final class Float16 {
    /** Largest finite half. */
    static final float MAX_VALUE = 65504f;

    private static final int SIGN = 0x8000;
    private static final int INFINITY = 0x7c00;
    private static final int QUIET_NAN = 0x7e00;

    private Float16() {
    }

    /** The half nearest to {@code f}, as its 16 bits. */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = bits >>> 16 & SIGN;
        int exponent = bits >>> 23 & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | (mantissa == 0 ? INFINITY : QUIET_NAN | mantissa >>> 13));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | INFINITY);
        }
        if (halfExponent >= 1) {
            // Normal half: drop 13 mantissa bits; a carry out of the mantissa correctly bumps the exponent (to
            // infinity from 65520 on).
            return (short) (sign | roundShift(halfExponent << 23 | mantissa, 13));
        }
        if (exponent == 0) {
            return (short) sign; // float32 subnormals are far below the half subnormals (2^-24)
        }
        // Subnormal half, in units of 2^-24: the 24-bit significand times 2^(halfExponent - 14). Rounding up to
        // 0x400 gives the smallest normal half, which is right.
        int shift = 14 - halfExponent;
        return (short) (sign | (shift > 25 ? 0 : roundShift(mantissa | 0x800000, shift)));
    }

    /** The float32 value of a half given by its 16 bits (exact: every half is a float). */
    static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & SIGN) << 16;
        int exponent = h >>> 10 & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }

    /** {@code value >>> shift}, rounded to nearest, ties to even. {@code 1 <= shift <= 30}. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int dropped = value & (1 << shift) - 1;
        int half = 1 << shift - 1;
        if (dropped > half || dropped == half && (kept & 1) == 1) {
            kept++;
        }
        return kept;
    }
}
