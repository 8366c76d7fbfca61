package dev.argus.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void noDeadlineNeverPassesAndLeavesLimitsAlone() {
        Deadline d = Deadline.none();
        assertThat(d.passed()).isFalse();
        assertThat(d.remainingNanos()).isEqualTo(Long.MAX_VALUE);
        d.check();
    }

    @Test
    void aDeadlinePassesWithTimeAndSaysHowLongTheRequestHad() throws Exception {
        Deadline d = Deadline.after(Duration.ofMillis(50));
        assertThat(d.passed()).isFalse();
        assertThat(d.remainingNanos()).isBetween(0L, 50_000_000L);
        Thread.sleep(80);
        assertThat(d.passed()).isTrue();
        assertThat(d.remainingNanos()).isZero();
        assertThatThrownBy(d::check)
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                .hasMessageContaining("50 ms");
    }

    @Test
    void aCancelledCallerPassesTheDeadlineAtOnce() {
        AtomicBoolean gone = new AtomicBoolean();
        Deadline d = Deadline.after(Duration.ofMinutes(5)).orWhen(gone::get);
        assertThat(d.passed()).isFalse();
        gone.set(true);
        assertThat(d.passed()).isTrue();
        assertThat(d.remainingNanos()).isZero();
        assertThat(d.expired().getMessage()).contains("cancelled");
    }

    @Test
    void optionsCarryTheirDeadlineAndDefaultToNone() {
        assertThat(ClassifyOptions.defaults().deadline().bounded()).isFalse();
        Deadline d = Deadline.after(Duration.ofSeconds(1));
        ClassifyOptions o = ClassifyOptions.defaults().withDeadline(d).withTopK(3).withLabelStyle(LabelStyle.IMAGENET);
        assertThat(o.deadline()).isSameAs(d);
        assertThat(o.topK()).isEqualTo(3);
    }
}
