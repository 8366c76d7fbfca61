package dev.argus.app.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AgreementTest {
    @Test
    void identicalOutputsAgreeFully() {
        Agreement a = new Agreement();
        float[] logits = {1, 5, 2, 0, 3, 4, -1, 2, 9, 0, 1, 2, 3, 4};
        a.add(logits, logits.clone(), 7);
        Agreement.Summary s = a.summary();
        assertThat(s.images()).isEqualTo(2);
        assertThat(s.top1()).isEqualTo(1.0);
        assertThat(s.meanTop5Overlap()).isEqualTo(1.0);
        assertThat(s.largestScoreDifference()).isZero();
        assertThat(s.failures(new Agreement.Thresholds(0.99, 1, 0))).isEmpty();
    }

    @Test
    void aChangedBestClassCountsAgainstTop1AndIsReported() {
        Agreement a = new Agreement();
        // image 1: same order; image 2: classes 0 and 1 swap places
        a.add(new float[] {3, 2, 1, 0, -1, -2, 5, 4, 1, 0, -1, -2}, new float[] {3, 2, 1, 0, -1, -2, 4, 5, 1, 0, -1, -2}, 6);
        Agreement.Summary s = a.summary();
        assertThat(s.top1()).isEqualTo(0.5);
        assertThat(s.meanTop5Overlap()).isEqualTo(1.0); // the same five classes, in another order
        assertThat(s.largestScoreDifference()).isGreaterThan(0.3);
        assertThat(s.failures(new Agreement.Thresholds(0.99, 0, 1))).singleElement().asString()
                .contains("top-1 agreement 50.00% is below the minimum 99.00%");
    }

    @Test
    void topFiveOverlapCountsSharedClasses() {
        Agreement a = new Agreement();
        a.add(new float[] {6, 5, 4, 3, 2, 1, 0}, new float[] {6, 5, 4, 3, 0, 1, 2}, 7);
        assertThat(a.summary().meanTop5Overlap()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void theLowerBoundSaysWhatTheseManyImagesCanShow() {
        // Wilson's score interval at 95%: 64 of 64 show 94.3%, 50 of 100 about 40.4%
        assertThat(Agreement.wilsonLowerBound(64, 64)).isCloseTo(0.9434, within(1e-4));
        assertThat(Agreement.wilsonLowerBound(50, 100)).isCloseTo(0.4038, within(1e-4));
        assertThat(Agreement.wilsonLowerBound(0, 0)).isZero();
        long n = Agreement.imagesToShow(0.99).orElseThrow();
        assertThat(Agreement.wilsonLowerBound(n, n)).isGreaterThanOrEqualTo(0.99);
        assertThat(Agreement.wilsonLowerBound(n - 1, n - 1)).isLessThan(0.99);
        assertThat(n).isBetween(370L, 390L);
        assertThat(Agreement.imagesToShow(1.0)).isEmpty();
    }

    @Test
    void tooFewHeldOutImagesAreAWarningNotARefusal() {
        Agreement.Thresholds t = new Agreement.Thresholds(0.99, 0, 1);
        Agreement.Summary all64 = new Agreement.Summary(64, 1.0, 1.0, 0);
        assertThat(all64.failures(t)).isEmpty();
        assertThat(all64.tooFewImagesFor(t)).hasValueSatisfying(w -> assertThat(w)
                .contains("64 held-out images cannot show a top-1 agreement of 99.00%", "at least 94.34%",
                        Agreement.imagesToShow(0.99).orElseThrow() + " images that all agree would"));
        assertThat(new Agreement.Summary(500, 1.0, 1.0, 0).tooFewImagesFor(t)).isEmpty();
        // below the threshold it is refused, and the refusal says why; no second message about the count
        assertThat(new Agreement.Summary(64, 0.9, 1.0, 0).tooFewImagesFor(t)).isEmpty();
        assertThat(all64.tooFewImagesFor(new Agreement.Thresholds(0, 0, 1))).isEmpty();
        assertThat(all64.toString()).contains("64 of 64 images; at least 94.34% at 95% confidence");
    }
}
