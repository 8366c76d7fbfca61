package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {
    private static int half(float f) {
        return Float16.fromFloat(f) & 0xffff;
    }

    @Test
    void convertsExactValues() {
        assertThat(half(1.0f)).isEqualTo(0x3c00);
        assertThat(half(-2.0f)).isEqualTo(0xc000);
        assertThat(half(0.5f)).isEqualTo(0x3800);
        assertThat(half(65504f)).isEqualTo(0x7bff);
        assertThat(half(0x1p-14f)).as("smallest normal").isEqualTo(0x0400);
        assertThat(half(0x1p-24f)).as("smallest subnormal").isEqualTo(0x0001);
        assertThat(half(1023 * 0x1p-24f)).as("largest subnormal").isEqualTo(0x03ff);
    }

    @Test
    void overflowsToInfinityFrom65520() {
        assertThat(half(65519.996f)).as("just below the halfway point").isEqualTo(0x7bff);
        assertThat(half(65520f)).as("halfway to 65536, ties to even: infinity").isEqualTo(0x7c00);
        assertThat(half(-65520f)).isEqualTo(0xfc00);
        assertThat(half(1e6f)).isEqualTo(0x7c00);
        assertThat(half(Float.MAX_VALUE)).isEqualTo(0x7c00);
        assertThat(half(Float.POSITIVE_INFINITY)).isEqualTo(0x7c00);
        assertThat(half(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
    }

    @Test
    void underflowsToSubnormalsAndSignedZero() {
        assertThat(half(1e-8f)).as("below half the smallest subnormal").isEqualTo(0x0000);
        assertThat(half(-1e-8f)).isEqualTo(0x8000);
        assertThat(half(0x1p-25f)).as("exactly half the smallest subnormal, ties to even: zero").isEqualTo(0x0000);
        assertThat(half(Math.nextUp(0x1p-25f))).as("just above: the smallest subnormal").isEqualTo(0x0001);
        assertThat(half(3 * 0x1p-25f)).as("1.5 units, ties to even: 2 units").isEqualTo(0x0002);
        assertThat(half(5 * 0x1p-25f)).as("2.5 units, ties to even: 2 units").isEqualTo(0x0002);
        assertThat(half(1e-7f)).as("1e-7 = 1.68 units").isEqualTo(0x0002);
        assertThat(half(1023.5f * 0x1p-24f)).as("largest subnormal + half a unit: up to the smallest normal").isEqualTo(0x0400);
        assertThat(half(Float.MIN_VALUE)).as("a float32 subnormal").isEqualTo(0x0000);
        assertThat(half(-Float.MIN_NORMAL)).isEqualTo(0x8000);
    }

    @Test
    void keepsNegativeZeroAndNaN() {
        assertThat(half(-0.0f)).isEqualTo(0x8000);
        assertThat(half(0.0f)).isEqualTo(0x0000);
        for (float nan : new float[] {Float.NaN, Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc00000)}) {
            int h = half(nan);
            assertThat(h & 0x7c00).as("exponent all ones").isEqualTo(0x7c00);
            assertThat(h & 0x3ff).as("mantissa non-zero (a NaN, not infinity)").isNotZero();
            assertThat(Float16.toFloat((short) h)).isNaN();
        }
    }

    @Test
    void roundsHalfwayCasesToEven() {
        assertThat(half(1 + 0x1p-11f)).as("1 + half an ulp: down to 1 (even)").isEqualTo(0x3c00);
        assertThat(half(1 + 3 * 0x1p-11f)).as("1 + 1.5 ulp: up to 1 + 2 ulp (even)").isEqualTo(0x3c02);
        assertThat(half(Math.nextUp(1 + 0x1p-11f))).as("just above half an ulp: up").isEqualTo(0x3c01);
        assertThat(half(2049f)).as("halfway between 2048 and 2050: 2048").isEqualTo(0x6800);
        assertThat(half(2051f)).as("halfway between 2050 and 2052: 2052").isEqualTo(0x6802);
        assertThat(half(0.1f)).isEqualTo(0x2e66);
        assertThat(half(1f / 3)).isEqualTo(0x3555);
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int h = 0; h <= 0xffff; h++) {
            float f = Float16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(h & 0x7c00).isEqualTo(0x7c00);
                continue;
            }
            assertThat(half(f)).as("0x%04x", h).isEqualTo(h);
        }
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(Float16.MAX_VALUE);
        assertThat(Float16.toFloat((short) 0x8000)).isEqualTo(-0.0f);
    }

    @Test
    void agreesWithANearestSearchOnRandomFloats() {
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            float f = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 28));
            if (Float.isNaN(f)) {
                continue;
            }
            assertThat(half(f)).as("%s (0x%08x)", f, Float.floatToRawIntBits(f)).isEqualTo(nearest(f));
        }
    }

    /** Reference: the nearest half by binary search over the (monotone) positive halves, ties to the even one. */
    private static int nearest(float f) {
        int sign = f < 0 || Float.floatToRawIntBits(f) == 0x80000000 ? 0x8000 : 0;
        double a = Math.abs((double) f);
        if (a >= 65520) {
            return sign | 0x7c00;
        }
        int lo = 0;
        int hi = 0x7bff;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Float16.toFloat((short) mid) <= a) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == 0x7bff) {
            return sign | lo;
        }
        double below = a - Float16.toFloat((short) lo);
        double above = Float16.toFloat((short) (lo + 1)) - a;
        int best = below < above ? lo : above < below ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
        return sign | best;
    }
}
