package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The serving core's front door, the one place that decides whether a request gets in: a bound on requests in progress
 * (a fair queue: one more waits, in order of arrival, up to {@code wait} for a place, then is refused with
 * {@code OVERLOADED}) and a {@link MemoryBudget} on the bytes they hold. Front ends (REST, gRPC) admit a request
 * before they read its body, so that a refusal costs a few header bytes, and reserve its bytes as they arrive. Every
 * admitted request gets its {@link Deadline}, which the later stages (decode, the engine queue, the wait for results)
 * honour. Backends that are not local (Cloudflare, another Argus) are admitted the same way: admission is before the
 * backend is known to be local or remote. After admission, the pipeline's own stages bound their queues
 * ({@link LocalImageClassifier}, {@link BatchScheduler}).
 *
 * <p>Front ends that serve the same model share one {@link Shared} bound: a request needs a place in its own front
 * end's admission (whose limits fit its transport: REST's bodies arrive as a stream, gRPC's messages whole) and one of
 * the server's, so that REST and gRPC together never have more requests in progress than the server allows.
 */
public final class Admission {

    /** The server-wide bound on requests in progress, over every front end that admits into it. */
    public static final class Shared {
        private final int maxRequests;
        private final String key;
        private final Semaphore places;

        /**
         * @param maxRequests requests in progress over all front ends together
         * @param key         the setting behind it, named in refusals
         */
        public Shared(int maxRequests, String key) {
            if (maxRequests < 1) {
                throw ArgusException.configuration("The server needs at least one request in progress (" + key + " = "
                        + maxRequests + ").");
            }
            this.maxRequests = maxRequests;
            this.key = Objects.requireNonNull(key, "key");
            this.places = new Semaphore(maxRequests, true);
        }

        /** Requests in progress over every front end. */
        public int inFlight() {
            return maxRequests - places.availablePermits();
        }

        public int maxRequests() {
            return maxRequests;
        }

        private ArgusException overloaded() {
            return new ArgusException(ErrorCode.OVERLOADED, "Out of capacity: " + maxRequests + " requests are in progress "
                    + "over all of this server's APIs together (" + key + "). Retry shortly, with backoff.");
        }
    }

    /**
     * @param name        what is admitted, for messages ("REST requests", "gRPC calls")
     * @param maxRequests requests in progress at once
     * @param requestsKey the setting behind {@code maxRequests}, named in refusals
     * @param maxBytes    bytes all admitted requests may hold at once
     * @param bytesKey    the setting behind {@code maxBytes}
     * @param admissionWait how long a request waits for a place (0: refused at once)
     * @param timeout     each admitted request's deadline, from admission (null: none; the transport has its own)
     */
    public record Limits(String name, int maxRequests, String requestsKey, long maxBytes, String bytesKey, Duration admissionWait,
                         Duration timeout) {
        public Limits {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(admissionWait, "admissionWait");
            if (maxRequests < 1 || maxBytes < 1 || admissionWait.isNegative() || (timeout != null && (timeout.isNegative() || timeout.isZero()))) {
                throw ArgusException.configuration(name + " admission needs at least one request and one byte, a wait of "
                        + "0 or more and a positive timeout (" + maxRequests + " requests, " + maxBytes + " bytes, wait "
                        + admissionWait + ", timeout " + timeout + ").");
            }
        }
    }

    private final Limits limits;
    private final Semaphore places;
    private final MemoryBudget memory;
    private final Shared shared;

    /** An admission of its own: no bound shared with other front ends. */
    public Admission(Limits limits) {
        this(limits, null);
    }

    /** @param shared the server-wide bound this front end admits into as well, or null for none */
    public Admission(Limits limits, Shared shared) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.places = new Semaphore(limits.maxRequests(), true);
        this.memory = new MemoryBudget(limits.maxBytes());
        this.shared = shared;
    }

    public Limits limits() {
        return limits;
    }

    /** The bytes admitted requests hold, and may hold. */
    public MemoryBudget memory() {
        return memory;
    }

    /** Requests admitted and not yet done. */
    public int inFlight() {
        return limits.maxRequests() - places.availablePermits();
    }

    /**
     * Admits a request, waiting up to the configured wait (at most the timeout) for a place, in order of arrival. Its
     * deadline counts from admission.
     *
     * @throws ArgusException {@code OVERLOADED} when no place came free in time
     */
    public Ticket admit() {
        long wait = limits.timeout() == null ? limits.admissionWait().toNanos() : Math.min(limits.admissionWait().toNanos(), limits.timeout().toNanos());
        long start = System.nanoTime();
        if (!acquire(places, wait)) {
            throw overloaded();
        }
        boolean both = false;
        try {
            if (shared != null && !acquire(shared.places, wait - (System.nanoTime() - start))) {
                throw shared.overloaded();
            }
            both = true;
        } finally {
            if (!both) {
                places.release(); // refused, or interrupted, at the server's bound: this front end's place goes back
            }
        }
        return new Ticket(limits.timeout() == null ? Deadline.none() : Deadline.after(limits.timeout()));
    }

    /** Admits a request if a place is free now (an asynchronous transport cannot wait); else {@code OVERLOADED}. */
    public Ticket tryAdmit(Deadline deadline) {
        if (!places.tryAcquire()) {
            throw overloaded();
        }
        boolean both = false;
        try {
            // timed, not tryAcquire(): a fair semaphore then honours the other front end's requests already waiting
            if (shared != null && !acquire(shared.places, 0)) {
                throw shared.overloaded();
            }
            both = true;
        } finally {
            if (!both) {
                places.release();
            }
        }
        return new Ticket(deadline);
    }

    /** A place within {@code nanos}, in order of arrival (fair semaphores wait in line even for a zero wait). */
    private static boolean acquire(Semaphore s, long nanos) {
        try {
            return s.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.OVERLOADED, "The server is shutting down; retry on another instance.");
        }
    }

    private ArgusException overloaded() {
        return new ArgusException(ErrorCode.OVERLOADED, "Out of capacity: " + limits.maxRequests() + " " + limits.name()
                + " are in progress (" + limits.requestsKey() + "). Retry shortly, with backoff.");
    }

    /** The error for a request that needs more bytes than are free now ({@code OVERLOADED}: others hold them). */
    public ArgusException memoryBusy() {
        return new ArgusException(ErrorCode.OVERLOADED, "The server is receiving more request data at once than it holds ("
                + memory.capacity() / (1024 * 1024) + " MiB in all, " + limits.bytesKey() + "). Retry shortly.");
    }

    /** The error for one request that needs more bytes than all requests together may hold ({@code INPUT_TOO_LARGE}). */
    public ArgusException memoryTooSmall() {
        return new ArgusException(ErrorCode.INPUT_TOO_LARGE, "The request needs more memory than all requests together may "
                + "hold (" + memory.capacity() / (1024 * 1024) + " MiB, " + limits.bytesKey() + "). Send a smaller "
                + "body: the raw image rather than a JSON number array, or fewer images at once.");
    }

    /** One admitted request: its deadline, and its place, which goes back once on {@link #close()}. */
    public final class Ticket implements AutoCloseable {
        private final Deadline deadline;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Ticket(Deadline deadline) {
            this.deadline = deadline;
        }

        public Deadline deadline() {
            return deadline;
        }

        /** Gives the place back (once). */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                if (shared != null) {
                    shared.places.release();
                }
                places.release();
            }
        }
    }
}
