package dev.argus.modelhub;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrierTest {
    private static final URI HUB = URI.create("https://huggingface.co/x");

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        assertThat(Retrier.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(1));
        assertThat(Retrier.parseRetryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        assertThat(Retrier.parseRetryAfter("Mon, 01 Jan 2001 00:00:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(Retrier.parseRetryAfter("soon")).isNull();
        assertThat(Retrier.parseRetryAfter("-5")).as("negative: no value, normal backoff").isNull();
        assertThat(Retrier.parseRetryAfter(null)).isNull();
    }

    @Test
    void backsOffExponentiallyWithJitterAndCaps() {
        Retrier retrier = new Retrier(10, Duration.ofSeconds(1));

        for (int i = 0; i < 50; i++) {
            assertThat(retrier.delay(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(retrier.delay(3, null)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(retrier.delay(30, null)).isBetween(Duration.ofSeconds(15), Retrier.MAX_DELAY);
        }
        assertThat(retrier.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(retrier.delay(1, Duration.ofHours(1))).isEqualTo(Retrier.MAX_RETRY_AFTER);
    }

    @Test
    void retriesRetryableFailuresUpToMaxAttempts() {
        Retrier retrier = new Retrier(3, Duration.ZERO);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call("test", () -> {
            calls.incrementAndGet();
            throw HubFailure.io(HUB, new ConnectException());
        })).isInstanceOfSatisfying(HubFailure.class, f -> {
            assertThat(f.kind()).isEqualTo(HubFailure.Kind.UNREACHABLE);
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.host()).isEqualTo("huggingface.co");
        });
        assertThat(calls).hasValue(3);
    }

    @Test
    void doesNotRetryWhatCannotSucceed() {
        Retrier retrier = new Retrier(3, Duration.ZERO);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call("test", () -> {
            calls.incrementAndGet();
            throw HubFailure.status(HubFailure.Kind.NOT_FOUND, HUB, 404, false, null, "HTTP 404");
        })).isInstanceOf(HubFailure.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void returnsTheFirstSuccess() throws Exception {
        Retrier retrier = new Retrier(3, Duration.ZERO);
        AtomicInteger calls = new AtomicInteger();

        String result = retrier.call("test", () -> {
            if (calls.incrementAndGet() < 2) {
                throw HubFailure.status(HubFailure.Kind.HTTP, HUB, 503, true, null, "HTTP 503");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(2);
    }
}
