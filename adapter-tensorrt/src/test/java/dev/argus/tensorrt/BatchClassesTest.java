package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchClassesTest {
    @Test
    void roundsUpToPowersOfTwoCappedAtMax() {
        assertThat(BatchClasses.classFor(1, 1, 32)).isEqualTo(1);
        assertThat(BatchClasses.classFor(3, 1, 32)).isEqualTo(4);
        assertThat(BatchClasses.classFor(8, 1, 32)).isEqualTo(8);
        assertThat(BatchClasses.classFor(17, 1, 24)).isEqualTo(24);
    }

    @Test
    void padsBelowTheProfileMinimum() {
        assertThat(BatchClasses.runBatch(1, 4)).isEqualTo(4);
        assertThat(BatchClasses.classFor(1, 4, 32)).isEqualTo(4);
    }

    @Test
    void refusesMoreThanMax() {
        assertThatThrownBy(() -> BatchClasses.classFor(33, 1, 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
