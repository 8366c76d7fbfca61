package dev.argus.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * When a request must be answered, and whether its caller has gone: the one notion of "give up" that the stages of the
 * pipeline check (before decoding, at the engine queue, while waiting for results, in calls to a remote backend), so
 * that a request that expired or was cancelled before the engine took it never reaches the engine and gives its place
 * back. Measured on {@link System#nanoTime()}.
 */
public final class Deadline {
    private static final BooleanSupplier NEVER = () -> false;
    private static final Deadline NONE = new Deadline(false, 0, NEVER, null);

    private final boolean bounded;
    private final long at;
    private final BooleanSupplier cancelled;
    private final Duration budget;

    private Deadline(boolean bounded, long at, BooleanSupplier cancelled, Duration budget) {
        this.bounded = bounded;
        this.at = at;
        this.cancelled = cancelled;
        this.budget = budget;
    }

    /** No deadline: the request waits as long as the stages' own limits allow. */
    public static Deadline none() {
        return NONE;
    }

    /** {@code budget} from now. */
    public static Deadline after(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        return new Deadline(true, System.nanoTime() + budget.toNanos(), NEVER, budget);
    }

    /** At the given {@link System#nanoTime()}; {@code budget} is how long the request was given, for messages. */
    public static Deadline at(long nanoTime, Duration budget) {
        return new Deadline(true, nanoTime, NEVER, Objects.requireNonNull(budget, "budget"));
    }

    /** This deadline, also passed as soon as {@code cancelled} says the caller has gone. */
    public Deadline orWhen(BooleanSupplier cancelled) {
        Objects.requireNonNull(cancelled, "cancelled");
        BooleanSupplier mine = this.cancelled;
        BooleanSupplier both = mine == NEVER ? cancelled : () -> mine.getAsBoolean() || cancelled.getAsBoolean();
        return new Deadline(bounded, at, both, budget);
    }

    public boolean bounded() {
        return bounded;
    }

    /** Whether the request should be given up: its time is over or its caller has gone. */
    public boolean passed() {
        return cancelled.getAsBoolean() || (bounded && System.nanoTime() - at >= 0);
    }

    /** Nanoseconds left (0 once passed); {@link Long#MAX_VALUE} without a deadline. */
    public long remainingNanos() {
        if (cancelled.getAsBoolean()) {
            return 0;
        }
        return bounded ? Math.max(0, at - System.nanoTime()) : Long.MAX_VALUE;
    }

    /** @throws ArgusException {@code TIMEOUT} when {@link #passed()} */
    public void check() {
        if (passed()) {
            throw expired();
        }
    }

    /** The error for a request that ran out of time (or whose caller has gone). */
    public ArgusException expired() {
        if (cancelled.getAsBoolean() && !(bounded && System.nanoTime() - at >= 0)) {
            return new ArgusException(ErrorCode.TIMEOUT, "The request was cancelled by its caller.");
        }
        return new ArgusException(ErrorCode.TIMEOUT, budget == null
                ? "The request did not finish within its deadline."
                : "The request did not finish within " + budget.toMillis() + " ms.");
    }

    @Override
    public String toString() {
        return bounded ? "Deadline[in " + remainingNanos() / 1_000_000 + " ms]" : "Deadline[none]";
    }
}
