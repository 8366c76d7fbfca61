package dev.argus.onnxmodel.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ActivationStatisticsTest {
    @Test
    void minMaxIsTheExactExtremesOverEveryBatch() {
        ActivationStatistics s = new ActivationStatistics();
        s.add("t", new float[] {0.5f, -1f, 2f});
        s.add("t", new float[] {7f, 0f});
        TensorRange r = s.ranges(CalibrationMethod.minMax()).get("t");
        assertThat(r).isEqualTo(new TensorRange(-1f, 7f));
        assertThat(s.count("t")).isEqualTo(5);
    }

    @Test
    void percentileClipsARareOutlierThatMinMaxKeeps() {
        ActivationStatistics s = new ActivationStatistics();
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 1000) / 1000f; // uniform on [0, 1)
        }
        s.add("t", values);
        s.add("t", new float[] {100f}); // one outlier, in a later batch: the histogram's bound doubles to hold it
        assertThat(s.ranges(CalibrationMethod.minMax()).get("t").max()).isEqualTo(100f);
        TensorRange p = s.ranges(CalibrationMethod.percentile(99.99)).get("t");
        assertThat(p.min()).isZero();
        assertThat(p.max()).isBetween(0.99f, 1.1f);
    }

    @Test
    void percentileIsNeverWiderThanMinMax() {
        ActivationStatistics s = new ActivationStatistics();
        float[] v = new float[1000];
        Arrays.fill(v, -0.25f);
        v[0] = 0.5f;
        s.add("t", v);
        TensorRange p = s.ranges(CalibrationMethod.percentile(99.9)).get("t");
        assertThat(p.min()).isEqualTo(-0.25f);
        assertThat(p.max()).isCloseTo(0.25f, within(0.01f));
    }

    @Test
    void nonFiniteValuesAreRefused() {
        ActivationStatistics s = new ActivationStatistics();
        assertThatThrownBy(() -> s.add("t", new float[] {Float.NaN})).hasMessageContaining("tensor 't'");
    }

    @Test
    void methodsParseFromTheirNames() {
        assertThat(CalibrationMethod.parse("minmax")).isEqualTo(CalibrationMethod.minMax());
        assertThat(CalibrationMethod.parse("percentile:99.9").percentile()).isEqualTo(99.9);
        assertThatThrownBy(() -> CalibrationMethod.parse("entropy")).hasMessageContaining("minmax, percentile");
    }
}
