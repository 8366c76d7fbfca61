package dev.argus.rest;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission and deadlines for work requests. At most {@code limit} requests are admitted at once; one more waits, in
 * order of arrival, up to {@code admissionWait} for a place, then is refused (429/3040) with its body unread. Admitted work runs on a named pool and is awaited until the request's deadline
 * (408/3007). A timed-out task keeps its permit until it really ends, so a stuck backend turns into 429s, not into
 * unbounded work.
 */
final class ClassificationGate implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClassificationGate.class.getName());
    private final int limit;
    private final Duration timeout;
    private final Duration admissionWait;
    private final Semaphore permits;
    private final ThreadPoolExecutor workers;

    ClassificationGate(int limit, Duration timeout, Duration admissionWait) {
        this.limit = limit;
        this.timeout = timeout;
        this.admissionWait = admissionWait.compareTo(timeout) < 0 ? admissionWait : timeout;
        this.permits = new Semaphore(limit, true);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "argus-rest-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Unbounded in type only: every queued task holds one of the `limit` permits.
        this.workers = new ThreadPoolExecutor(limit, limit, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** Admits a request or throws 429/3040. Close the admission when the request is done. */
    Admission admit() {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(admissionWait.toNanos(), TimeUnit.NANOSECONDS); // fair: in order of arrival
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RestError.of(ErrorCode.OVERLOADED, "The server is shutting down; retry on another instance.");
        }
        if (!admitted) {
            throw RestError.overloaded(limit);
        }
        return new Admission();
    }

    int inFlight() {
        return limit - permits.availablePermits();
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One admitted request. The permit, and whatever the request holds ({@link #hold}), go back when both the request
     * and any task it started have ended: a task still running past the deadline keeps its image memory reserved.
     */
    final class Admission implements AutoCloseable {
        private final AtomicInteger holders = new AtomicInteger(1);
        private final long deadline = System.nanoTime() + timeout.toNanos();
        private final java.util.List<AutoCloseable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** {@code resource}, closed when this admission is fully released. */
        <T extends AutoCloseable> T hold(T resource) {
            held.add(resource);
            return resource;
        }

        /** When this request must be answered ({@link System#nanoTime()}): receiving its body counts too. */
        long deadline() {
            return deadline;
        }

        /** Runs the work on the pool and waits for it until the deadline. */
        <T> T run(Callable<T> work) {
            holders.incrementAndGet();
            Future<T> future;
            try {
                future = workers.submit(() -> {
                    try {
                        return work.call();
                    } finally {
                        release();
                    }
                });
            } catch (RejectedExecutionException e) {
                release();
                throw RestError.of(ErrorCode.OVERLOADED, "The server is shutting down; retry on another instance.");
            }
            try {
                return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw RestError.of(ErrorCode.TIMEOUT, "The request did not finish within " + timeout.toMillis() + " ms.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RestError.of(ErrorCode.TIMEOUT, "The request was interrupted (server shutting down).");
            } catch (ExecutionException e) {
                throw unwrap(e.getCause());
            }
        }

        private RuntimeException unwrap(Throwable cause) {
            if (cause instanceof RestError re) {
                return re;
            }
            if (cause instanceof ArgusException ae) {
                return ae;
            }
            LOG.log(System.Logger.Level.ERROR, "Unexpected failure in a classification", cause);
            return RestError.internal();
        }

        private void release() {
            if (holders.decrementAndGet() == 0) {
                for (AutoCloseable r : held) {
                    try {
                        r.close();
                    } catch (Exception e) { // a Body's close throws nothing; anything else is logged, not lost
                        LOG.log(System.Logger.Level.WARNING, "Could not release a request's resource", e);
                    }
                }
                permits.release();
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
