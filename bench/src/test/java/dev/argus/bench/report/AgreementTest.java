package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.argus.bench.run.WorkerResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {
    private static WorkerResult.Answer answer(String image, int[] classes, float[] scores, float[] logits) {
        return new WorkerResult.Answer(image, null, classes, scores, logits);
    }

    private static final int[] CLASSES_A = {10, 20, 30, 40, 50, 60, 70};
    private static final float[] SCORES_A = {0.5f, 0.2f, 0.1f, 0.08f, 0.06f, 0.04f, 0.02f};
    private static final float[] LOGITS = {1f, 2f, 3f};

    private static List<WorkerResult.Answer> twoImages() {
        return List.of(answer("a.jpg", CLASSES_A, SCORES_A, LOGITS),
                answer("b.jpg", new int[] {1, 2, 3, 4, 5}, new float[] {0.6f, 0.1f, 0.1f, 0.1f, 0.1f}, LOGITS));
    }

    @Test
    void identicalAnswersAgreeCompletely() {
        Agreement.Pair p = Agreement.compare("onnx", twoImages(), "djl", twoImages());
        assertThat(p.a()).isEqualTo("onnx");
        assertThat(p.b()).isEqualTo("djl");
        assertThat(p.images()).isEqualTo(2);
        assertThat(p.top1Agreement()).isEqualTo(1.0);
        assertThat(p.top5OverlapMean()).isEqualTo(5.0);
        assertThat(p.top5OverlapMin()).isEqualTo(5);
        assertThat(p.maxScoreDiff()).isZero();
        assertThat(p.maxLogitDiff()).isZero();
        assertThat(p.perImage()).extracting(Agreement.ImageAgreement::image).containsExactly("a.jpg", "b.jpg");
        assertThat(p.perImage()).allSatisfy(i -> {
            assertThat(i.top1Equal()).isTrue();
            assertThat(i.top5Overlap()).isEqualTo(5);
        });
    }

    @Test
    void aSwappedTop1IsHalfOverTwoImagesWithTheTop5StillOverlapping() {
        List<WorkerResult.Answer> other = List.of(answer("a.jpg", CLASSES_A, SCORES_A, LOGITS),
                answer("b.jpg", new int[] {2, 1, 3, 4, 5}, new float[] {0.6f, 0.1f, 0.1f, 0.1f, 0.1f}, LOGITS));
        Agreement.Pair p = Agreement.compare("onnx", twoImages(), "djl", other);
        assertThat(p.top1Agreement()).isEqualTo(0.5);
        assertThat(p.top5OverlapMean()).isEqualTo(5.0);
        Agreement.ImageAgreement b = p.perImage().get(1);
        assertThat(b.top1Equal()).isFalse();
        assertThat(b.top1A()).isEqualTo(1);
        assertThat(b.top1B()).isEqualTo(2);
        // class 1: 0.6 vs 0.1, class 2: 0.1 vs 0.6
        assertThat(b.maxScoreDiff()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void top5OverlapCountsSharedClassesAmongTheFirstFive() {
        List<WorkerResult.Answer> other = List.of(answer("a.jpg", new int[] {10, 20, 30, 99, 98, 40, 50}, SCORES_A, null));
        Agreement.Pair p = Agreement.compare("onnx", twoImages().subList(0, 1), "cf", other);
        assertThat(p.perImage().get(0).top5Overlap()).isEqualTo(3);
        assertThat(p.top5OverlapMin()).isEqualTo(3);
        assertThat(p.top5OverlapMean()).isEqualTo(3.0);
    }

    @Test
    void scoresAreComparedOnlyOverTheClassesBothReport() {
        // one side reports all its classes, the other only its top 5 (as remote APIs do)
        float[] all = {0.5f, 0.2f, 0.1f, 0.08f, 0.06f, 0.04f, 0.02f};
        List<WorkerResult.Answer> full = List.of(answer("a.jpg", CLASSES_A, all, null));
        List<WorkerResult.Answer> top5 = List.of(answer("a.jpg", new int[] {10, 20, 30, 40, 50},
                new float[] {0.49f, 0.2f, 0.1f, 0.08f, 0.03f}, null));
        Agreement.Pair p = Agreement.compare("onnx", full, "cf", top5);
        assertThat(p.maxScoreDiff()).isCloseTo(0.03, within(1e-6));
        assertThat(Agreement.compare("cf", top5, "onnx", full).maxScoreDiff()).isCloseTo(0.03, within(1e-6));
    }

    @Test
    void theLargestLogitDifferenceIsReportedWhenBothHaveLogits() {
        List<WorkerResult.Answer> other = List.of(answer("a.jpg", CLASSES_A, SCORES_A, new float[] {1f, 2.25f, 2.5f}));
        Agreement.Pair p = Agreement.compare("onnx", twoImages().subList(0, 1), "djl", other);
        assertThat(p.maxLogitDiff()).isCloseTo(0.5, within(1e-6));
        assertThat(p.perImage().get(0).maxLogitDiff()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void theLogitDifferenceIsAlsoAFractionOfTheFirstBackendsLogitRangeOnThatImage() {
        // a.jpg: range 2, differences up to 0.5; b.jpg: range 4, differences up to 0.5
        List<WorkerResult.Answer> first = List.of(answer("a.jpg", new int[] {2, 1, 0}, SCORES_A, LOGITS),
                answer("b.jpg", new int[] {2, 1, 0}, SCORES_A, new float[] {-1f, 2f, 3f}));
        List<WorkerResult.Answer> second = List.of(answer("a.jpg", new int[] {1, 2, 0}, SCORES_A, new float[] {1f, 2.5f, 2.5f}),
                answer("b.jpg", new int[] {2, 1, 0}, SCORES_A, new float[] {-0.5f, 2f, 3f}));
        Agreement.Pair p = Agreement.compare("onnx", first, "djl", second);
        assertThat(p.perImage()).extracting(Agreement.ImageAgreement::logitRange).containsExactly(2.0, 4.0);
        assertThat(p.maxLogitDiffOfRange()).isEqualTo(0.25);
        // a.jpg: the first backend's logit for its top-1 (class 2: 3) over its logit for the other's top-1 (class 1: 2)
        assertThat(p.perImage()).extracting(Agreement.ImageAgreement::top1Margin).containsExactly(1.0, 0.0);
        assertThat(Agreement.compare("onnx", first, "cf", List.of(answer("a.jpg", CLASSES_A, SCORES_A, null)))
                .perImage().get(0).logitRange()).isNull();
    }

    @Test
    void theLogitDifferenceIsNullWhenEitherSideHasNoLogits() {
        List<WorkerResult.Answer> none = List.of(answer("a.jpg", CLASSES_A, SCORES_A, null));
        assertThat(Agreement.compare("onnx", twoImages().subList(0, 1), "cf", none).maxLogitDiff()).isNull();
        assertThat(Agreement.compare("cf", none, "onnx", twoImages().subList(0, 1)).maxLogitDiff()).isNull();
        assertThat(Agreement.compare("cf", none, "onnx", twoImages()).perImage().get(0).maxLogitDiff()).isNull();
    }

    @Test
    void theLogitDifferenceIsNullWhenOnlySomeImagesHaveLogits() {
        List<WorkerResult.Answer> partly = List.of(answer("a.jpg", CLASSES_A, SCORES_A, LOGITS),
                answer("b.jpg", new int[] {1, 2, 3, 4, 5}, new float[] {0.6f, 0.1f, 0.1f, 0.1f, 0.1f}, null));
        assertThat(Agreement.compare("onnx", twoImages(), "x", partly).maxLogitDiff()).isNull();
    }

    @Test
    void errorAnswersAndImagesOnlyOneSideAnsweredAreSkipped() {
        List<WorkerResult.Answer> other = List.of(
                new WorkerResult.Answer("a.jpg", "INVALID_INPUT: not an image", new int[0], new float[0], null),
                answer("b.jpg", new int[] {1, 2, 3, 4, 5}, new float[] {0.6f, 0.1f, 0.1f, 0.1f, 0.1f}, LOGITS),
                answer("c.jpg", new int[] {7}, new float[] {1f}, null));
        Agreement.Pair p = Agreement.compare("onnx", twoImages(), "djl", other);
        assertThat(p.images()).isEqualTo(1);
        assertThat(p.perImage()).extracting(Agreement.ImageAgreement::image).containsExactly("b.jpg");
        assertThat(p.top1Agreement()).isEqualTo(1.0);
        Agreement.Pair reverse = Agreement.compare("djl", other, "onnx", twoImages());
        assertThat(reverse.images()).isEqualTo(1);
    }

    @Test
    void nothingInCommonIsZeroImagesNotAnError() {
        Agreement.Pair p = Agreement.compare("onnx", twoImages(), "djl", List.of());
        assertThat(p.images()).isZero();
        assertThat(p.top1Agreement()).isZero();
        assertThat(p.top5OverlapMean()).isZero();
        assertThat(p.maxScoreDiff()).isZero();
        assertThat(p.maxLogitDiff()).isNull();
        assertThat(p.maxLogitDiffOfRange()).isNull();
        assertThat(p.perImage()).isEmpty();
    }

    @Test
    void unknownClassIndicesNeverCountAsAgreement() {
        // a remote backend that gives labels only reports class -1
        List<WorkerResult.Answer> unknown = List.of(answer("a.jpg", new int[] {-1, -1, -1, -1, -1},
                new float[] {0.5f, 0.2f, 0.1f, 0.1f, 0.1f}, null));
        List<WorkerResult.Answer> alsoUnknown = List.of(answer("a.jpg", new int[] {-1, -1, -1, -1, -1},
                new float[] {0.1f, 0.2f, 0.1f, 0.1f, 0.1f}, null));
        Agreement.Pair p = Agreement.compare("cf", unknown, "cf2", alsoUnknown);
        assertThat(p.top1Agreement()).isZero();
        assertThat(p.top5OverlapMean()).isZero();
        assertThat(p.maxScoreDiff()).isZero();
    }
}
