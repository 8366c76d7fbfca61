package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.bench.run.WorkerResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict on a backend against the reference, from hand-made logits over three classes (range 10). */
class AgreementVerdictTest {
    private static final AgreementTolerance TOLERANCE = AgreementTolerance.DEFAULT; // fp32 0.1%, fp16 5%

    private static Agreement.Pair pair(float[] reference, float[] other) {
        return Agreement.compare("onnx", List.of(answer(reference)), "djl", List.of(answer(other)));
    }

    /** Classes best first, from the logits. */
    private static WorkerResult.Answer answer(float[] logits) {
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (x, y) -> Float.compare(logits[y], logits[x]));
        int[] classes = java.util.Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        return new WorkerResult.Answer("a.png", null, classes, new float[] {0.5f, 0.3f, 0.2f}, logits);
    }

    @Test
    void differencesWithinATenthOfAPercentOfTheLogitRangeAgree() {
        AgreementVerdict v = AgreementVerdict.judge(pair(new float[] {0, 5, 10}, new float[] {0.004f, 5, 10.005f}), false, TOLERANCE);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.AGREES);
        assertThat(v.disagrees()).isFalse();
        assertThat(v.backend()).isEqualTo("djl");
        assertThat(v.reference()).isEqualTo("onnx");
        assertThat(v.precision()).isEqualTo("fp32");
        assertThat(v.tolerance()).isEqualTo(0.001);
        assertThat(v.maxLogitDiffOfRange()).isBetween(0.00049, 0.00051);
        assertThat(v.summary()).isEqualTo("agrees: max logit diff 0.005 is 0.05% of the logit range (at most 0.1% for fp32)");
    }

    @Test
    void theZen5CaseALogitOffByThreeWithTheSameTop1Disagrees() {
        // what TensorFlow's oneDNN did on Zen 5: top-1 equal, logits off by 3.0 on a range of 6
        AgreementVerdict v = AgreementVerdict.judge(pair(new float[] {-3, 1, 3}, new float[] {0, 1, 3}), false, TOLERANCE);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.DISAGREES);
        assertThat(v.top1Differences()).isZero();
        assertThat(v.maxLogitDiff()).isEqualTo(3.0);
        assertThat(v.maxLogitDiffOfRange()).isEqualTo(0.5);
        assertThat(v.summary()).isEqualTo("DISAGREES: max logit diff 3 is 50% of the logit range, over the 0.1% allowed for fp32");
    }

    @Test
    void aDifferentTop1OutsideANearTieDisagreesEvenWithLogitsWithinTheBound() {
        // bound 1% of 10 = 0.1: each logit moves 0.09, but the reference's margin between the two picks is 0.15
        AgreementTolerance onePercent = new AgreementTolerance(0.01, 0.03);
        AgreementVerdict v = AgreementVerdict.judge(pair(new float[] {0, 9.85f, 10}, new float[] {0, 9.94f, 9.91f}), false, onePercent);
        assertThat(v.maxLogitDiffOfRange()).isLessThanOrEqualTo(0.01);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.DISAGREES);
        assertThat(v.top1Differences()).isEqualTo(1);
        assertThat(v.summary()).startsWith("DISAGREES: max logit diff 0.09 is 0.9")
                .endsWith("(within 1%); top-1 differs on 1 of 1 images (near ties left out)");
    }

    @Test
    void aDifferentTop1OnANearTieIsNoDisagreement() {
        // the reference's own top two are 0.001 apart (bound: 0.1% of 10 = 0.01); the other swaps them
        AgreementVerdict v = AgreementVerdict.judge(pair(new float[] {0, 9.999f, 10}, new float[] {0, 10, 9.999f}), false, TOLERANCE);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.AGREES);
        assertThat(v.top1Differences()).isZero();
    }

    @Test
    void halfPrecisionIsJudgedWithTheLooserBound() {
        float[] reference = {0, 5, 10};
        float[] twoPercentOff = {0.2f, 5, 10};
        assertThat(AgreementVerdict.judge(pair(reference, twoPercentOff), false, TOLERANCE).verdict()).isEqualTo(AgreementVerdict.DISAGREES);
        AgreementVerdict fp16 = AgreementVerdict.judge(pair(reference, twoPercentOff), true, TOLERANCE);
        assertThat(fp16.verdict()).isEqualTo(AgreementVerdict.AGREES);
        assertThat(fp16.precision()).isEqualTo("fp16");
        assertThat(fp16.tolerance()).isEqualTo(0.05);
        assertThat(fp16.summary()).endsWith("(at most 5% for fp16)");
    }

    @Test
    void aBackendWithoutLogitsIsNotJudged() {
        WorkerResult.Answer remote = new WorkerResult.Answer("a.png", null, new int[] {0, 1, 2}, new float[] {0.5f, 0.3f, 0.2f}, null);
        Agreement.Pair p = Agreement.compare("onnx", List.of(answer(new float[] {0, 5, 10})), "rest", List.of(remote));
        AgreementVerdict v = AgreementVerdict.judge(p, false, TOLERANCE);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.NOT_JUDGED);
        assertThat(v.disagrees()).isFalse();
        assertThat(v.tolerance()).isNull();
        assertThat(v.summary()).startsWith("not judged: no logits");
    }

    @Test
    void noImageInCommonIsNotJudged() {
        Agreement.Pair p = Agreement.compare("onnx", List.of(answer(new float[] {0, 5, 10})), "djl", List.of());
        AgreementVerdict v = AgreementVerdict.judge(p, false, TOLERANCE);
        assertThat(v.verdict()).isEqualTo(AgreementVerdict.NOT_JUDGED);
        assertThat(v.summary()).isEqualTo("not judged: no image answered by both");
    }

    @Test
    void theWorstImageDecides() {
        List<WorkerResult.Answer> reference = List.of(answer(new float[] {0, 5, 10}), rename(answer(new float[] {0, 1, 2}), "b.png"));
        List<WorkerResult.Answer> other = List.of(answer(new float[] {0, 5, 10}), rename(answer(new float[] {0, 1, 2.01f}), "b.png"));
        Agreement.Pair p = Agreement.compare("onnx", reference, "djl", other);
        // 0.01 would be 0.1% of the first image's range (10); it is on the second, range 2: 0.5%
        assertThat(p.maxLogitDiffOfRange()).isBetween(0.0049, 0.0051);
        assertThat(AgreementVerdict.judge(p, false, TOLERANCE).verdict()).isEqualTo(AgreementVerdict.DISAGREES);
    }

    private static WorkerResult.Answer rename(WorkerResult.Answer a, String image) {
        return new WorkerResult.Answer(image, a.error(), a.classes(), a.scores(), a.logits());
    }
}
