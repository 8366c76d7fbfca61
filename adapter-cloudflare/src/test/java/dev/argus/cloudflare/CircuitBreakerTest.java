package dev.argus.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    final AtomicLong now = new AtomicLong(1_000);
    final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);

    void fault() {
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFault();
    }

    @Test
    void opensAfterThresholdConsecutiveFaults() {
        fault();
        fault();
        assertThat(breaker.isOpen()).isFalse();
        fault();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void successInBetweenResetsTheCount() {
        fault();
        fault();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        fault();
        fault();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void neutralOutcomesNeitherCountNorReset() {
        fault();
        fault();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onNeutral();
        assertThat(breaker.consecutiveFaults()).isEqualTo(2);
        fault();
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void afterTheOpenPeriodExactlyOneTrialIsLetThrough() {
        fault();
        fault();
        fault();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aFailedTrialOpensForAnotherPeriod() {
        fault();
        fault();
        fault();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        fault();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.remainingOpen()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aNeutralTrialHandsTheTrialToTheNextCaller() {
        fault();
        fault();
        fault();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onNeutral();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }
}
