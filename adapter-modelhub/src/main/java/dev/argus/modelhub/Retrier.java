package dev.argus.modelhub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Runs an exchange up to {@code maxAttempts} times with exponential backoff and jitter, honouring Retry-After. */
final class Retrier {
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
    private static final System.Logger LOG = System.getLogger(Retrier.class.getName());

    @FunctionalInterface
    interface Attempt<T> {
        T run() throws HubFailure, InterruptedException;
    }

    private final int maxAttempts;
    private final Duration base;

    Retrier(int maxAttempts, Duration base) {
        this.maxAttempts = maxAttempts;
        this.base = base;
    }

    <T> T call(String what, Attempt<T> attempt) throws HubFailure, InterruptedException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (HubFailure failure) {
                if (!failure.retryable() || n >= maxAttempts) {
                    throw failure.afterAttempts(n);
                }
                Duration delay = delay(n, failure.retryAfter());
                LOG.log(Level.WARNING, "{0} failed ({1}), attempt {2} of {3}; retrying in {4} ms", what,
                        describe(failure), String.valueOf(n), String.valueOf(maxAttempts),
                        String.valueOf(delay.toMillis()));
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /** Retry-After if the server sent one (capped), else base * 2^(n-1) capped at 30 s, scaled by 0.5..1. */
    Duration delay(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        long exponential = base.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(exponential, MAX_DELAY.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    /** Delay-seconds or an HTTP date; {@code null} when absent or unreadable. */
    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            return seconds < 0 ? null : Duration.ofSeconds(seconds); // a negative value is no value: normal backoff
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String describe(HubFailure failure) {
        return failure.status() > 0 ? "HTTP " + failure.status() + " from " + failure.host()
                : failure.getMessage() + (failure.host() == null ? "" : " talking to " + failure.host());
    }
}
