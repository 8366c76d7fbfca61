package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs one task per item with at most {@code parallelism} at once: the calling thread plus up to
 * {@code parallelism - 1} pool threads take items in order from a shared counter. The first exception stops the
 * others from starting new items and is rethrown once the ones in flight are done. The bound is per batch: concurrent
 * callers (a server's requests) are not queued behind each other.
 */
final class BatchRunner {
    private final ExecutorService pool;

    BatchRunner(ExecutorService pool) {
        this.pool = pool;
    }

    <I, O> List<O> run(List<I> items, int parallelism, Function<I, O> task) {
        int n = items.size();
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                try {
                    results[i] = task.apply(items.get(i));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        try {
            for (int w = 1; w < Math.min(parallelism, n); w++) {
                helpers.add(pool.submit(worker));
            }
        } catch (RejectedExecutionException e) {
            failure.compareAndSet(null, new ArgusException(ErrorCode.REMOTE_FAILURE,
                    "The Cloudflare backend classifier has been closed.", e));
        }
        worker.run();
        awaitAll(helpers, failure);
        if (failure.get() != null) {
            throw failure.get();
        }
        @SuppressWarnings("unchecked")
        List<O> out = (List<O>) Arrays.asList(results);
        return List.copyOf(out);
    }

    private static void awaitAll(List<Future<?>> helpers, AtomicReference<RuntimeException> failure) {
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.compareAndSet(null, new ArgusException(ErrorCode.REMOTE_FAILURE,
                            "Interrupted while waiting for Cloudflare Workers AI.", e));
                    helpers.forEach(h -> h.cancel(true));
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, new ArgusException(ErrorCode.REMOTE_FAILURE,
                            "A Cloudflare call failed unexpectedly: " + e.getCause(), e.getCause()));
                    break;
                } catch (java.util.concurrent.CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
