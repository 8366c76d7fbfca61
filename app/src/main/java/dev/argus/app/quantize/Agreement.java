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

        /**
         * The lower end of the 95% confidence interval of the top-1 agreement (Wilson's score interval): what these
         * held-out images can show. 64 images that all agree show only 94.3%; about 380 are needed to show 99%.
         */
        public double top1LowerBound() {
            return wilsonLowerBound(Math.round(top1 * images), images);
        }

        /**
         * Why this many images cannot show {@code t}'s minimum top-1 agreement at 95% confidence although they meet
         * it, or empty: a warning, not a refusal (what was measured meets the threshold).
         */
        public java.util.Optional<String> tooFewImagesFor(Thresholds t) {
            if (t.minTop1() <= 0 || top1 < t.minTop1() || top1LowerBound() >= t.minTop1()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(String.format(Locale.ROOT, "%d held-out images cannot show a top-1 agreement of "
                    + "%.2f%% at 95%% confidence: what they show is at least %.2f%%. %s images that all agree would; use "
                    + "more held-out images for a firmer figure", images, t.minTop1() * 100, top1LowerBound() * 100,
                    imagesToShow(t.minTop1()).map(Object::toString).orElse("No number of")));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "top-1 agreement %.2f%% (%d of %d images; at least %.2f%% at 95%% "
                    + "confidence), mean top-5 overlap %.3f, largest score difference %.4f", top1 * 100,
                    Math.round(top1 * images), images, top1LowerBound() * 100, meanTop5Overlap, largestScoreDifference);
        }
    }

    private static final double Z95 = 1.959963984540054;

    /** Wilson's score interval, lower end at 95%: {@code agreeing} of {@code n}; 0 for no images. */
    static double wilsonLowerBound(long agreeing, long n) {
        if (n <= 0) {
            return 0;
        }
        double p = (double) agreeing / n;
        double z2 = Z95 * Z95;
        double centre = p + z2 / (2.0 * n);
        double spread = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }

    /**
     * The fewest images that, all agreeing, show at least {@code minTop1} at 95%; empty for 1 (never shown). With every
     * image agreeing, Wilson's lower end is {@code n / (n + z^2)}, so {@code n = ceil(minTop1 z^2 / (1 - minTop1))}.
     */
    static java.util.Optional<Long> imagesToShow(double minTop1) {
        if (minTop1 >= 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Math.max(1, (long) Math.ceil(minTop1 * Z95 * Z95 / (1 - minTop1))));
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
