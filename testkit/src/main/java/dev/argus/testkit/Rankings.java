package dev.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/**
 * Compares the top-k of two engines' outputs the way float32 rounding allows: two engines whose values each lie within
 * {@code tolerance} of the same truth can only swap classes whose values are within {@code 2 x tolerance}. So at every
 * rank the classes must be the same, or be such a near tie in the reference. Which near ties exist, and which way they
 * break, differs between CPUs (their kernels round differently): an exact-order check would fail on some of them.
 */
public final class Rankings {
    private Rankings() {
    }

    /** Indices of the {@code k} largest values, largest first (ties: lower index first). */
    public static int[] top(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        return Arrays.stream(idx, 0, k).mapToInt(Integer::intValue).toArray();
    }

    /** At every rank below {@code k}: the same class, or a class whose reference value is within 2 x tolerance. */
    public static void assertSameTopK(String what, float[] reference, float[] actual, int k, double tolerance) {
        int[] want = top(reference, k);
        int[] got = top(actual, k);
        for (int i = 0; i < k; i++) {
            if (want[i] == got[i]) {
                continue;
            }
            double gap = Math.abs((double) reference[want[i]] - reference[got[i]]);
            assertThat(gap).as("%s: rank %d is class %d instead of %d (top-%d %s vs %s); only classes within 2 x %.1e "
                            + "of each other in the reference may swap", what, i + 1, got[i], want[i], k,
                    Arrays.toString(got), Arrays.toString(want), tolerance)
                    .isLessThanOrEqualTo(2 * tolerance);
        }
    }
}
