package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void softmaxMatchesTheDefinitionAndSurvivesLargeLogits() {
        double[] p = TopK.softmax(new float[] {1000f, 1001f, 1002f}, 0, 3);
        double e0 = Math.exp(-2), e1 = Math.exp(-1);
        double sum = e0 + e1 + 1;
        assertThat(p[0]).isCloseTo(e0 / sum, within(1e-12));
        assertThat(p[2]).isCloseTo(1 / sum, within(1e-12));
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void refusesNanLogits() {
        assertThatThrownBy(() -> TopK.softmax(new float[] {1f, Float.NaN}, 0, 2)).hasMessageContaining("NaN")
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
        assertThatThrownBy(() -> TopK.softmax(new float[] {1f, Float.POSITIVE_INFINITY}, 0, 2)).hasMessageContaining("not finite")
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
    }

    @Test
    void topIndicesAgreeWithAFullSort() {
        Random r = new Random(1);
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
        for (int k : new int[] {1, 5, 17, 1000}) {
            int[] top = TopK.topIndices(v, k);
            assertThat(top).hasSize(k);
            for (int i = 0; i < k; i++) {
                assertThat(top[i]).isEqualTo(order[i]);
            }
        }
    }

    @Test
    void tiesGoToTheLowerIndex() {
        assertThat(TopK.topIndices(new double[] {0.5, 0.5, 0.1, 0.5}, 2)).containsExactly(0, 1);
    }

    @Test
    void classifyLabelsTheBestClassesOfARowInABatch() {
        float[] logits = new float[2000];
        logits[1000 + 283] = 10f;
        logits[1000 + 154] = 9f;
        List<Classification> c = TopK.classify(logits, 1000, 1000, 2, LabelSet.imagenet1k(), LabelStyle.CLOUDFLARE);
        assertThat(c).extracting(Classification::label).containsExactly("PERSIAN CAT", "PEKINESE");
        assertThat(c.get(0).classIndex()).isEqualTo(283);
        assertThat(c.get(0).score()).isGreaterThan(c.get(1).score());
    }

    @Test
    void refusesAModelWhoseClassCountDoesNotMatchTheLabels() {
        assertThatThrownBy(() -> TopK.classify(new float[10], 0, 10, 5, LabelSet.imagenet1k(), LabelStyle.CLOUDFLARE))
                .hasMessageContaining("10 classes").hasMessageContaining("1000")
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }
}
