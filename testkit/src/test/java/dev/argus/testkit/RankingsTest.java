package dev.argus.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RankingsTest {
    private static final float[] REF = {0.1f, 5.0f, 4.99995f, 3.0f, 2.0f, 1.0f, 0.5f};

    @Test
    void acceptsTheSameOrder() {
        assertThatCode(() -> Rankings.assertSameTopK("x", REF, REF.clone(), 5, 1e-4)).doesNotThrowAnyException();
    }

    @Test
    void acceptsANearTieBreakingTheOtherWay() {
        float[] swapped = REF.clone();
        swapped[2] = 5.00001f; // classes 1 and 2 are 5e-5 apart in the reference: within 2 x 1e-4
        assertThatCode(() -> Rankings.assertSameTopK("x", REF, swapped, 5, 1e-4)).doesNotThrowAnyException();
    }

    @Test
    void refusesASwapOfClassesFarApart() {
        float[] swapped = REF.clone();
        swapped[4] = 3.5f; // class 4 (2.0) overtakes class 3 (3.0)
        assertThatThrownBy(() -> Rankings.assertSameTopK("x", REF, swapped, 5, 1e-4))
                .hasMessageContaining("rank 3 is class 4 instead of 3");
    }

    @Test
    void refusesAClassFromOutsideTheTopK() {
        float[] other = REF.clone();
        other[0] = 1.5f; // class 0 enters the top 5 in place of class 5
        assertThatThrownBy(() -> Rankings.assertSameTopK("x", REF, other, 5, 1e-4)).hasMessageContaining("rank 5");
    }
}
