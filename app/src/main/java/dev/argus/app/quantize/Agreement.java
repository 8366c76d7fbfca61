package dev.argus.app.quantize;

import dev.argus.ports.service.TopK;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How closely a quantized model's answers follow the float model's on the same images: top-1 agreement (the share
 * of images whose best class is the same), mean top-5 overlap (classes the two top-5 lists share, out of 5) and the
 * largest difference of any class's score (softmax, as serving reports it) on any image.
 */
public final class Agreement {
    private static final int TOP = 5;

    private long images;
    private long sameTop1;
    private double overlapSum;
    private double largestScoreDifference;

    /** The thresholds below (or above) which a quantized model is refused. */
    public record Thresholds(double minTop1, double minTop5Overlap, double maxScoreDifference) {
        public Thresholds {
            check("minimum top-1 agreement", minTop1);
            check("minimum top-5 overlap", minTop5Overlap);
            check("maximum score difference", maxScoreDifference);
        }

        private static void check(String what, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("the " + what + " must be between 0 and 1, got " + v);
            }
        }
    }

    /** What was measured. */
    public record Summary(long images, double top1, double meanTop5Overlap, double largestScoreDifference) {
        /** The reasons {@code thresholds} refuse this, empty when none does. */
        public List<String> failures(Thresholds t) {
            List<String> out = new ArrayList<>();
            if (top1 < t.minTop1()) {
                out.add(String.format(Locale.ROOT, "top-1 agreement %.2f%% is below the minimum %.2f%%", top1 * 100, t.minTop1() * 100));
            }
            if (meanTop5Overlap < t.minTop5Overlap()) {
                out.add(String.format(Locale.ROOT, "mean top-5 overlap %.3f is below the minimum %.3f", meanTop5Overlap, t.minTop5Overlap()));
            }
            if (largestScoreDifference > t.maxScoreDifference()) {
                out.add(String.format(Locale.ROOT, "largest score difference %.4f is above the maximum %.4f",
                        largestScoreDifference, t.maxScoreDifference()));
            }
            return out;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "top-1 agreement %.2f%% (%d of %d images), mean top-5 overlap %.3f, "
                    + "largest score difference %.4f", top1 * 100, Math.round(top1 * images), images, meanTop5Overlap,
                    largestScoreDifference);
        }
    }

    /** Adds a batch: {@code reference} and {@code candidate} hold {@code classes} logits per image, image after image. */
    public void add(float[] reference, float[] candidate, int classes) {
        if (reference.length != candidate.length || classes <= 0 || reference.length % classes != 0) {
            throw new IllegalArgumentException("outputs of " + reference.length + " and " + candidate.length
                    + " values are not whole images of " + classes + " classes");
        }
        for (int offset = 0; offset < reference.length; offset += classes) {
            double[] p = TopK.softmax(reference, offset, classes);
            double[] q = TopK.softmax(candidate, offset, classes);
            int[] a = best(p, Math.min(TOP, classes));
            int[] b = best(q, Math.min(TOP, classes));
            if (a[0] == b[0]) {
                sameTop1++;
            }
            int shared = 0;
            for (int x : a) {
                for (int y : b) {
                    shared += x == y ? 1 : 0;
                }
            }
            overlapSum += (double) shared / a.length;
            for (int c = 0; c < classes; c++) {
                largestScoreDifference = Math.max(largestScoreDifference, Math.abs(p[c] - q[c]));
            }
            images++;
        }
    }

    public Summary summary() {
        return images == 0 ? new Summary(0, 0, 0, 0)
                : new Summary(images, (double) sameTop1 / images, overlapSum / images, largestScoreDifference);
    }

    /** Indexes of the {@code k} largest scores, best first (ties: lower index first). */
    static int[] best(double[] scores, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[scores.length];
        for (int i = 0; i < k; i++) {
            int pick = -1;
            for (int c = 0; c < scores.length; c++) {
                if (!taken[c] && (pick < 0 || scores[c] > scores[pick])) {
                    pick = c;
                }
            }
            taken[pick] = true;
            top[i] = pick;
        }
        return top;
    }
}
