package dev.argus.bench.report;

import dev.argus.bench.run.WorkerResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How far two backends agree on the same images: top-1 equal, top-5 overlap, the largest score difference over the
 * classes both report, and the largest logit difference where both expose logits, also as a fraction of the first
 * backend's logit range (max - min over the classes) on that image, which makes it comparable across models.
 */
public final class Agreement {
    private Agreement() {
    }

    /**
     * One image, compared. The logit figures are null where either backend has no logits: {@code logitRange} is A's
     * (max - min), {@code top1Margin} how far A's logit for its own top-1 lies above its logit for B's top-1 (0 when
     * they agree).
     */
    public record ImageAgreement(String image, int top1A, int top1B, boolean top1Equal, int top5Overlap,
                                 double maxScoreDiff, Double maxLogitDiff, Double logitRange, Double top1Margin) {
    }

    /**
     * Two backends over the images both answered. Fractions in [0, 1]; overlaps as counts out of 5.
     * {@code maxLogitDiffOfRange}: the largest of each image's max logit difference over A's logit range.
     */
    public record Pair(String a, String b, int images, double top1Agreement, double top5OverlapMean, int top5OverlapMin,
                       double maxScoreDiff, Double maxLogitDiff, Double maxLogitDiffOfRange, List<ImageAgreement> perImage) {
    }

    public static Pair compare(String a, List<WorkerResult.Answer> answersA, String b, List<WorkerResult.Answer> answersB) {
        Map<String, WorkerResult.Answer> byImage = new HashMap<>();
        answersB.forEach(x -> byImage.put(x.image(), x));
        List<ImageAgreement> per = new ArrayList<>();
        for (WorkerResult.Answer x : answersA) {
            WorkerResult.Answer y = byImage.get(x.image());
            if (y == null || x.error() != null || y.error() != null || x.classes().length == 0 || y.classes().length == 0) {
                continue;
            }
            per.add(image(x, y));
        }
        int n = per.size();
        double top1 = n == 0 ? 0 : per.stream().filter(ImageAgreement::top1Equal).count() / (double) n;
        double overlap = per.stream().mapToInt(ImageAgreement::top5Overlap).average().orElse(0);
        int minOverlap = per.stream().mapToInt(ImageAgreement::top5Overlap).min().orElse(0);
        double maxScore = per.stream().mapToDouble(ImageAgreement::maxScoreDiff).max().orElse(0);
        boolean logits = n > 0 && per.stream().allMatch(p -> p.maxLogitDiff() != null);
        Double maxLogit = logits ? per.stream().mapToDouble(ImageAgreement::maxLogitDiff).max().orElse(0) : null;
        Double maxOfRange = logits ? per.stream().mapToDouble(Agreement::ofRange).max().orElse(0) : null;
        return new Pair(a, b, n, top1, overlap, minOverlap, maxScore, maxLogit, maxOfRange, per);
    }

    /** The image's max logit difference over A's logit range (over 1 where A's logits are all equal: no range). */
    static double ofRange(ImageAgreement i) {
        return i.logitRange() > 0 ? i.maxLogitDiff() / i.logitRange() : i.maxLogitDiff();
    }

    static ImageAgreement image(WorkerResult.Answer x, WorkerResult.Answer y) {
        Set<Integer> top5x = top(x.classes(), 5);
        Set<Integer> top5y = top(y.classes(), 5);
        int overlap = 0;
        for (int c : top5x) {
            if (top5y.contains(c)) {
                overlap++;
            }
        }
        Map<Integer, Float> sy = new HashMap<>();
        for (int i = 0; i < y.classes().length; i++) {
            sy.put(y.classes()[i], y.scores()[i]);
        }
        double maxScore = 0;
        for (int i = 0; i < x.classes().length; i++) {
            Float other = sy.get(x.classes()[i]);
            if (other != null && x.classes()[i] >= 0) {
                maxScore = Math.max(maxScore, Math.abs(x.scores()[i] - other));
            }
        }
        Double maxLogit = null;
        Double range = null;
        Double margin = null;
        float[] lx = x.logits();
        if (lx != null && y.logits() != null && lx.length == y.logits().length && lx.length > 0) {
            double m = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < lx.length; i++) {
                m = Math.max(m, Math.abs(lx[i] - y.logits()[i]));
                lo = Math.min(lo, lx[i]);
                hi = Math.max(hi, lx[i]);
            }
            maxLogit = m;
            range = hi - lo;
            int cx = x.classes()[0];
            int cy = y.classes()[0];
            margin = cx >= 0 && cy >= 0 && cx < lx.length && cy < lx.length ? (double) lx[cx] - lx[cy] : null;
        }
        return new ImageAgreement(x.image(), x.classes()[0], y.classes()[0], x.classes()[0] == y.classes()[0] && x.classes()[0] >= 0,
                overlap, maxScore, maxLogit, range, margin);
    }

    private static Set<Integer> top(int[] classes, int k) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < Math.min(k, classes.length); i++) {
            if (classes[i] >= 0) {
                s.add(classes[i]);
            }
        }
        return s;
    }
}
