package dev.argus.cloudflare;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts: {@code base * 2^(n-1)} capped at {@code max}, with "equal jitter" (a random point in the
 * upper half, so that clients that failed together do not retry together), and never shorter than what the server's
 * Retry-After asked for.
 */
final class Backoff {
    private final Duration base;
    private final Duration max;

    Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /** The delay after failed attempt {@code attempt} (1-based). */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        long baseNanos = base.toNanos();
        long exponential = attempt >= 40 ? Long.MAX_VALUE : baseNanos << Math.max(0, attempt - 1);
        if (exponential < baseNanos) {
            exponential = Long.MAX_VALUE;
        }
        long capped = Math.min(exponential, max.toNanos());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Duration computed = Duration.ofNanos(jittered);
        return retryAfter.filter(r -> r.compareTo(computed) > 0).orElse(computed);
    }

    /** Retry-After as delay-seconds or an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> parseRetryAfter(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
