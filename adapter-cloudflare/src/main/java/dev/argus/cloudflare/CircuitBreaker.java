package dev.argus.cloudflare;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling an endpoint that keeps failing. Closed: calls pass; {@code threshold} consecutive endpoint faults
 * (5xx, timeouts, dropped connections) open it. Open: calls are refused at once, without touching the network, for
 * {@code openDuration}. Then one trial call is let through (half-open): success closes the circuit, a fault opens it
 * for another period, anything else (a rate limit, a refused image) releases the trial for the next caller.
 */
final class CircuitBreaker {
    private final int threshold;
    private final long openNanos;
    private final LongSupplier clock;
    private int consecutiveFaults;
    private boolean open;
    private long openUntil;
    private boolean trialInFlight;

    CircuitBreaker(int threshold, Duration openDuration, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.openNanos = openDuration.toNanos();
        this.clock = nanoClock;
    }

    /** Whether a call may go out now; when true, exactly one of the {@code on*} methods must follow. */
    synchronized boolean tryAcquire() {
        if (!open) {
            return true;
        }
        if (clock.getAsLong() - openUntil < 0 || trialInFlight) {
            return false;
        }
        trialInFlight = true;
        return true;
    }

    /** The endpoint answered sensibly (a result, or a refusal of this image). */
    synchronized void onSuccess() {
        consecutiveFaults = 0;
        open = false;
        trialInFlight = false;
    }

    /** The endpoint failed (5xx, timeout, dropped connection). */
    synchronized void onFault() {
        consecutiveFaults++;
        if (trialInFlight || consecutiveFaults >= threshold) {
            open = true;
            openUntil = clock.getAsLong() + openNanos;
        }
        trialInFlight = false;
    }

    /** Neither (rate limited, configuration error): no change, but a trial slot is given back. */
    synchronized void onNeutral() {
        trialInFlight = false;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** How long until a trial call is allowed; zero when closed or due. */
    synchronized Duration remainingOpen() {
        if (!open) {
            return Duration.ZERO;
        }
        long left = openUntil - clock.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    synchronized int consecutiveFaults() {
        return consecutiveFaults;
    }
}
