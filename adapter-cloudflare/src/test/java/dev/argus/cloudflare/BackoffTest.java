package dev.argus.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void doublesPerAttemptWithJitterInTheUpperHalf() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(1, Optional.empty())).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(backoff.delay(2, Optional.empty())).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(backoff.delay(3, Optional.empty())).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        }
    }

    @Test
    void isCappedAtTheMaximumEvenForManyAttempts() {
        for (int attempt : new int[] {5, 10, 39, 40, 63, 64, 1000}) {
            assertThat(backoff.delay(attempt, Optional.empty())).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }

    @Test
    void jitterSpreadsClientsApart() {
        assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(3, Optional.empty())).distinct())
                .hasSizeGreaterThan(10);
    }

    @Test
    void retryAfterIsAFloorNotACap() {
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(backoff.delay(3, Optional.of(Duration.ZERO))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void readsRetryAfterSecondsAndDates() {
        assertThat(Backoff.parseRetryAfter(Optional.of("3"))).contains(Duration.ofSeconds(3));
        assertThat(Backoff.parseRetryAfter(Optional.of("-4"))).contains(Duration.ZERO);
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(Backoff.parseRetryAfter(Optional.of(in10s)).orElseThrow())
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(Backoff.parseRetryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).contains(Duration.ZERO);
        assertThat(Backoff.parseRetryAfter(Optional.of("soon"))).isEmpty();
        assertThat(Backoff.parseRetryAfter(Optional.empty())).isEmpty();
    }
}
