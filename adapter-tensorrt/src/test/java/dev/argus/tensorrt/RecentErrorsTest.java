package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentErrorsTest {
    @Test
    void quotesOnlyWhatWasLoggedSinceTheMark() {
        RecentErrors errors = new RecentErrors();
        errors.add("an old failure");
        long mark = errors.mark();
        assertThat(errors.since(mark)).isEqualTo("TensorRT logged no error");
        errors.add("first");
        errors.add("second");
        assertThat(errors.since(mark)).isEqualTo("first; second");
        assertThat(errors.since(0)).startsWith("an old failure");
    }

    @Test
    void keepsABoundedNumber() {
        RecentErrors errors = new RecentErrors();
        for (int i = 0; i < 1000; i++) {
            errors.add("e" + i);
        }
        String all = errors.since(0);
        assertThat(all).startsWith("(" + (1000 - RecentErrors.KEPT) + " earlier errors not kept, see the log) e"
                + (1000 - RecentErrors.KEPT) + ";");
        assertThat(all.split("; ")).hasSize(RecentErrors.KEPT).endsWith("e999");
        long mark = errors.mark();
        errors.add("new");
        assertThat(errors.since(mark)).as("nothing missing since this mark").isEqualTo("new");
    }
}
