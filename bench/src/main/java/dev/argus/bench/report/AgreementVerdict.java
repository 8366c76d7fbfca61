package dev.argus.bench.report;

/**
 * Whether a backend answers as the reference does, within the {@link AgreementTolerance} for backends that run the
 * same weights. Judged where both expose logits (engines that run here); remote backends are not judged.
 *
 * @param verdict             {@value #AGREES}, {@value #DISAGREES} or {@value #NOT_JUDGED}
 * @param precision           {@code fp32}, or {@code fp16} where either backend computes in half precision
 * @param tolerance           the bound applied, as a fraction of the reference's logit range; null when not judged
 * @param top1Differences     images whose top-1 differs, near ties (within the tolerance in the reference's own
 *                            logits) left out
 * @param summary             one line for the reports
 */
public record AgreementVerdict(String backend, String reference, String verdict, String precision, Double tolerance,
                               Double maxLogitDiff, Double maxLogitDiffOfRange, int images, int top1Differences,
                               String summary) {
    public static final String AGREES = "agrees";
    public static final String DISAGREES = "disagrees";
    public static final String NOT_JUDGED = "not judged";

    public boolean disagrees() {
        return verdict.equals(DISAGREES);
    }

    /** {@code withReference}: the pair (reference, backend), with its per-image details. */
    public static AgreementVerdict judge(Agreement.Pair withReference, boolean halfPrecision, AgreementTolerance tolerance) {
        Agreement.Pair p = withReference;
        String precision = halfPrecision ? "fp16" : "fp32";
        if (p.images() == 0) {
            return new AgreementVerdict(p.b(), p.a(), NOT_JUDGED, precision, null, null, null, 0, 0,
                    "not judged: no image answered by both");
        }
        if (p.maxLogitDiff() == null) {
            return new AgreementVerdict(p.b(), p.a(), NOT_JUDGED, precision, null, null, null, p.images(), 0,
                    "not judged: no logits (a remote backend's model is not known to be the same)");
        }
        double bound = tolerance.forPair(halfPrecision);
        int flips = 0;
        for (Agreement.ImageAgreement i : p.perImage()) {
            double range = i.logitRange() != null && i.logitRange() > 0 ? i.logitRange() : 1;
            boolean nearTie = i.top1Margin() != null && i.top1Margin() <= bound * range;
            if (!i.top1Equal() && !nearTie) {
                flips++;
            }
        }
        boolean logitsOk = p.maxLogitDiffOfRange() <= bound;
        String diff = "max logit diff " + Format.twoSig(p.maxLogitDiff()) + " is " + Format.share(p.maxLogitDiffOfRange())
                + " of the logit range";
        String top1 = flips == 0 ? "" : "; top-1 differs on " + flips + " of " + p.images() + " images (near ties left out)";
        if (logitsOk && flips == 0) {
            return new AgreementVerdict(p.b(), p.a(), AGREES, precision, bound, p.maxLogitDiff(), p.maxLogitDiffOfRange(),
                    p.images(), 0, "agrees: " + diff + " (at most " + Format.share(bound) + " for " + precision + ")");
        }
        String over = logitsOk ? diff + " (within " + Format.share(bound) + ")" : diff + ", over the " + Format.share(bound)
                + " allowed for " + precision;
        return new AgreementVerdict(p.b(), p.a(), DISAGREES, precision, bound, p.maxLogitDiff(), p.maxLogitDiffOfRange(),
                p.images(), flips, "DISAGREES: " + over + top1);
    }
}
