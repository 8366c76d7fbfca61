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
}
