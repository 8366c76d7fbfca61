package dev.argus.tensorrt;

/**
 * Batch size classes: device buffers are allocated once per power-of-two class (capped at the profile's maximum), so a
 * worker holds at most log2(max)+1 buffer pairs whatever batch sizes arrive.
 */
final class BatchClasses {
    private BatchClasses() {
    }

    /** The batch actually run: {@code n}, padded up to the profile's minimum. */
    static int runBatch(int n, int min) {
        return Math.max(n, min);
    }

    /** The smallest power of two holding {@link #runBatch}, at most {@code max}. */
    static int classFor(int n, int min, int max) {
        int run = runBatch(n, min);
        if (run > max) {
            throw new IllegalArgumentException("batch " + n + " exceeds the profile's maximum " + max);
        }
        int c = Integer.highestOneBit(run);
        c = c == run ? c : c << 1;
        return Math.min(c, max);
    }
}
