package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.TraceContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Classifies one image with as many attempts as the configuration allows, within its total deadline: transient
 * failures (429, 408, 5xx, timeouts, dropped connections) are retried after a {@link Backoff} delay that honours
 * Retry-After; the {@link CircuitBreaker} is consulted before every attempt and told how each went.
 */
final class RetryingCaller {
    private static final System.Logger LOG = System.getLogger(RetryingCaller.class.getName());

    private final CloudflareConfig config;
    private final CloudflareHttp http;
    private final ResponseMapper mapper;
    private final CircuitBreaker breaker;
    private final Backoff backoff;
    private final LongSupplier clock;
    private volatile String lastFault = "none";

    RetryingCaller(CloudflareConfig config, CloudflareHttp http, CircuitBreaker breaker, LongSupplier nanoClock) {
        this.config = config;
        this.http = http;
        this.mapper = new ResponseMapper(config);
        this.breaker = breaker;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax());
        this.clock = nanoClock;
    }

    /**
     * The verdict for {@code image}: {@link Verdict.Answered} or {@link Verdict.ImageRefused}.
     *
     * @throws ArgusException when the backend as a whole failed: configuration, exhausted retries, open circuit
     */
    Verdict call(byte[] image) {
        return call(image, Long.MAX_VALUE);
    }

    /**
     * As {@link #call(byte[])}, giving up after {@code requestNanos} too (what the request's own deadline leaves). When
     * that is the tighter bound and it runs out, the request fails with {@code TIMEOUT} and the circuit breaker is not
     * told of a fault: a caller in a hurry says nothing about Cloudflare's health.
     */
    Verdict call(byte[] image, long requestNanos) {
        return call(image, requestNanos, TraceContext.NONE);
    }

    /** As {@link #call(byte[], long)}, every attempt sent as the client span {@code span} (when present). */
    Verdict call(byte[] image, long requestNanos, TraceContext span) {
        long start = clock.getAsLong();
        boolean requestBound = requestNanos < config.deadline().toNanos();
        long deadline = start + Math.min(config.deadline().toNanos(), requestNanos);
        for (int attempt = 1; ; attempt++) {
            if (!breaker.tryAcquire()) {
                throw circuitOpen();
            }
            long remaining = deadline - clock.getAsLong();
            if (remaining <= 0 && requestBound) {
                breaker.onNeutral();
                throw requestTimeout(requestNanos);
            }
            boolean cutByRequest = requestBound && remaining < config.attemptTimeout().toNanos();
            Verdict verdict = remaining <= 0
                    ? new Verdict.Retryable("the deadline passed", Optional.empty(), false, ErrorCode.REMOTE_FAILURE)
                    : attempt(image, Duration.ofNanos(Math.min(config.attemptTimeout().toNanos(), remaining)), cutByRequest,
                            span);
            if (verdict == null) { // the attempt ran out of the request's time, not Cloudflare's
                breaker.onNeutral();
                throw requestTimeout(requestNanos);
            }
            if (verdict instanceof Verdict.Answered || verdict instanceof Verdict.ImageRefused) {
                breaker.onSuccess();
                return verdict;
            }
            if (verdict instanceof Verdict.Fatal fatal) {
                breaker.onNeutral();
                throw fatal.error();
            }
            Verdict.Retryable retry = (Verdict.Retryable) verdict;
            if (retry.endpointFault()) {
                lastFault = retry.reason();
                breaker.onFault();
            } else {
                breaker.onNeutral();
            }
            if (attempt >= config.maxAttempts() || remaining <= 0) {
                throw exhausted(retry, attempt, start, "");
            }
            Duration delay = backoff.delay(attempt, retry.retryAfter());
            if (clock.getAsLong() + delay.toNanos() - deadline >= 0 && requestBound) {
                throw requestTimeout(requestNanos);
            }
            if (clock.getAsLong() + delay.toNanos() - deadline >= 0) {
                throw exhausted(retry, attempt, start, "; the next attempt (in " + delay.toMillis()
                        + " ms" + (retry.retryAfter().isPresent() ? ", as Retry-After asked" : "")
                        + ") would pass the deadline of " + config.deadline().toMillis() + " ms");
            }
            LOG.log(Level.WARNING, "Cloudflare call failed ({0}), attempt {1} of {2}; retrying in {3} ms",
                    retry.reason(), String.valueOf(attempt), String.valueOf(config.maxAttempts()),
                    String.valueOf(delay.toMillis()));
            sleep(delay);
        }
    }

    /** One attempt; null when it timed out and {@code cutByRequest} (its timeout was what the request had left). */
    private Verdict attempt(byte[] image, Duration timeout, boolean cutByRequest, TraceContext span) {
        CloudflareHttp.Response response;
        try {
            response = http.post(image, timeout, span);
        } catch (HttpTimeoutException e) {
            if (cutByRequest) {
                return null;
            }
            return new Verdict.Retryable("no answer within " + timeout.toMillis() + " ms", Optional.empty(), true,
                    ErrorCode.REMOTE_FAILURE);
        } catch (IOException e) {
            return new Verdict.Retryable("connection failed: " + describe(e), Optional.empty(), true,
                    ErrorCode.REMOTE_FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breaker.onNeutral();
            throw new ArgusException(ErrorCode.REMOTE_FAILURE, "Interrupted while calling Cloudflare Workers AI at "
                    + config.host() + ".", e);
        }
        return mapper.map(response.status(), response.body(), Backoff.parseRetryAfter(response.retryAfter()));
    }

    private ArgusException exhausted(Verdict.Retryable last, int attempts, long start, String why) {
        long ms = TimeUnit.NANOSECONDS.toMillis(clock.getAsLong() - start);
        return new ArgusException(last.ifExhausted(), "Cloudflare Workers AI at " + config.host() + " failed "
                + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + ms + " ms; last: " + last.reason()
                + why + ". Try again later.");
    }

    private ArgusException requestTimeout(long requestNanos) {
        return new ArgusException(ErrorCode.TIMEOUT, "Cloudflare Workers AI at " + config.host() + " did not answer within "
                + "the " + TimeUnit.NANOSECONDS.toMillis(requestNanos) + " ms the request had left.");
    }

    /** Chosen code: REMOTE_FAILURE (the remote is down), not OVERLOADED (which says the caller sends too much). */
    private ArgusException circuitOpen() {
        long seconds = Math.max(1, (breaker.remainingOpen().toMillis() + 999) / 1000);
        return new ArgusException(ErrorCode.REMOTE_FAILURE, "Cloudflare Workers AI at " + config.host()
                + " keeps failing (last: " + lastFault + "); not calling it for up to " + seconds
                + " s more (circuit breaker open).");
    }

    private void sleep(Duration delay) {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.REMOTE_FAILURE, "Interrupted while waiting to retry Cloudflare Workers AI"
                    + " at " + config.host() + ".", e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }
}
