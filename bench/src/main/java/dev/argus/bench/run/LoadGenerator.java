package dev.argus.bench.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A closed loop: {@code concurrency} callers, each making its next call as soon as the last one returned. First
 * {@code warmup} calls that are not measured, then the measured phase: a number of calls, or a duration. The memory
 * and CPU meters cover the measured phase only.
 *
 * <p>Or, with an arrival rate, an open loop in the measured phase: calls arrive at that rate, at random (exponential
 * gaps, a Poisson process, as a service's users arrive) or evenly spaced (paced), whether or not earlier ones have
 * been answered, and run on
 * at most {@code concurrency} connections; a call that finds them all busy waits its turn. Its latency counts from its
 * arrival, so waiting for a connection counts too (no coordinated omission). Calls that arrived but still have no
 * connection a while after the phase (a tenth of it, at least a second: a server slower than the rate) are not made:
 * they count as failed calls.
 */
final class LoadGenerator {
    private static final int MAX_ERROR_SAMPLES = 3;

    /** One call of the workload: the {@code k}-th batch. Throws when the whole call failed. */
    @FunctionalInterface
    interface Call {
        CallResult run(int k) throws Exception;
    }

    /** What one call did: images answered and failed, and the per-image time split where the backend reports one. */
    record CallResult(int images, int failedImages, long decodeNanos, long inferenceNanos, long postprocessNanos, String error) {
        static CallResult ok(int images) {
            return new CallResult(images, 0, 0, 0, 0, null);
        }
    }

    /** The measured phase. Latencies are per call, in ns, in completion order. */
    record Sample(int calls, int images, int failedImages, int failedCalls, long wallNanos, long[] latencies,
                  long decodeNanos, long inferenceNanos, long postprocessNanos, long cpuNanos, long peakRssBytes,
                  long peakHeapBytes, List<String> errors) {
        double imagesPerSecond() {
            return wallNanos == 0 ? 0 : (images - failedImages) * 1e9 / wallNanos;
        }
    }

    private final ResourceMeter meter;

    LoadGenerator(ResourceMeter meter) {
        this.meter = meter;
    }

    Sample run(Call call, int concurrency, int warmup, int requests, double durationSeconds, IntConsumer progress) {
        return run(call, concurrency, warmup, requests, durationSeconds, 0, progress);
    }

    /** @param arrivalRate calls per second in the measured phase (an open loop, Poisson arrivals); 0 = closed loop */
    Sample run(Call call, int concurrency, int warmup, int requests, double durationSeconds, double arrivalRate,
               IntConsumer progress) {
        return run(call, concurrency, warmup, requests, durationSeconds, arrivalRate, BenchPlan.Arrivals.POISSON, progress);
    }

    /**
     * @param arrivalRate calls per second in the measured phase (an open loop); 0 = closed loop
     * @param arrivals    how the open loop spaces its calls
     */
    Sample run(Call call, int concurrency, int warmup, int requests, double durationSeconds, double arrivalRate,
               BenchPlan.Arrivals arrivals, IntConsumer progress) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "argus-bench-caller");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            if (arrivalRate > 0) {
                // the warm-up arrives as the measured calls will, so that it neither bursts nor ends with a backlog
                openPhase(pool, call, next, warmup, 0, arrivalRate, arrivals, new Recorder(), progress);
            } else {
                phase(pool, concurrency, call, next, warmup, 0, new Recorder(), progress);
            }
            meter.resetPeaks();
            long cpu0 = meter.processCpuNanos();
            long t0 = System.nanoTime();
            Recorder rec = new Recorder();
            long deadline = durationSeconds > 0 ? t0 + (long) (durationSeconds * 1e9) : 0;
            if (arrivalRate > 0) {
                openPhase(pool, call, next, Long.MAX_VALUE, deadline, arrivalRate, arrivals, rec, progress);
            } else {
                phase(pool, concurrency, call, next, durationSeconds > 0 ? Integer.MAX_VALUE : warmup + requests, deadline, rec, progress);
            }
            long wall = System.nanoTime() - t0;
            long cpu = meter.processCpuNanos() - cpu0;
            return rec.sample(wall, cpu, meter.peakRssBytes(), meter.peakHeapBytes());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs calls numbered from {@code next} up to {@code until} (exclusive), or until {@code deadline} when not 0. */
    private static void phase(ExecutorService pool, int concurrency, Call call, AtomicInteger next, int until, long deadline,
                              Recorder rec, IntConsumer progress) {
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            callers.add(pool.submit(() -> {
                while (deadline == 0 || System.nanoTime() < deadline) {
                    int k = next.getAndIncrement();
                    if (k >= until) {
                        next.decrementAndGet();
                        return;
                    }
                    measured(call, k, System.nanoTime(), rec);
                    progress.accept(k);
                }
            }));
        }
        for (Future<?> f : callers) {
            waitFor(f, Long.MAX_VALUE);
        }
    }

    /**
     * Calls arrive ({@link #nextArrival}) until {@code deadline}, or until {@code maxCalls} have arrived when
     * {@code deadline} is 0, each queued for the pool's callers; latency counts from arrival. Then waits for the calls
     * under way; those still waiting for a caller are dropped and counted as failed.
     */
    private static void openPhase(ExecutorService pool, Call call, AtomicInteger next, long maxCalls, long deadline,
                                  double rate, BenchPlan.Arrivals arrivals, Recorder rec, IntConsumer progress) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        List<Future<?>> calls = new ArrayList<>();
        long started = System.nanoTime();
        boolean counted = deadline == 0;
        long end = counted ? started + (long) (maxCalls / rate * 1e9) : deadline; // when the last call is due
        long arrival = started;
        for (long n = 0; !counted || n < maxCalls; n++) {
            arrival = nextArrival(arrivals, n, started, arrival, rate, random);
            if (!counted && arrival - end >= 0) {
                break;
            }
            long wait;
            while ((wait = arrival - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long at = arrival;
            int k = next.getAndIncrement();
            calls.add(pool.submit(() -> {
                measured(call, k, at, rec);
                progress.accept(k);
            }));
        }
        long grace = end + Math.max(1_000_000_000L, (end - started) / 10);
        int dropped = 0;
        for (Future<?> f : calls) {
            if (!waitFor(f, grace - System.nanoTime())) {
                if (f.cancel(false)) {
                    dropped++; // never started
                } else {
                    waitFor(f, Long.MAX_VALUE); // started meanwhile: it ends by itself
                }
            }
        }
        rec.notMade(dropped);
    }

    /**
     * When call {@code n} (from 0) of an open loop that started at {@code started} arrives, the previous one having
     * arrived at {@code previous}: paced, at {@code started + n / rate} (counted from the start, so rounding does not
     * drift); Poisson, an exponential gap of mean {@code 1 / rate} after the previous one (the first one included).
     */
    static long nextArrival(BenchPlan.Arrivals arrivals, long n, long started, long previous, double rate,
                            java.util.SplittableRandom random) {
        return arrivals == BenchPlan.Arrivals.UNIFORM
                ? started + (long) (n / rate * 1e9)
                : previous + (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
    }

    /** One call, its latency counted from {@code since}. */
    private static void measured(Call call, int k, long since, Recorder rec) {
        try {
            CallResult r = call.run(k);
            rec.record(System.nanoTime() - since, r);
        } catch (Exception | LinkageError e) {
            rec.failed(System.nanoTime() - since, e);
        }
    }

    /** Waits up to {@code nanos} ({@link Long#MAX_VALUE}: for good) for a caller's task; false when it has not ended. */
    private static boolean waitFor(Future<?> f, long nanos) {
        try {
            if (nanos == Long.MAX_VALUE) {
                f.get();
            } else {
                f.get(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("benchmark caller failed", e.getCause());
        }
    }

    /** Thread-safe accumulation of one phase. */
    private static final class Recorder {
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger images = new AtomicInteger();
        private final AtomicInteger failedImages = new AtomicInteger();
        private final AtomicInteger failedCalls = new AtomicInteger();
        private final AtomicLong decode = new AtomicLong();
        private final AtomicLong inference = new AtomicLong();
        private final AtomicLong post = new AtomicLong();

        void record(long nanos, CallResult r) {
            latencies.add(nanos);
            calls.incrementAndGet();
            images.addAndGet(r.images());
            failedImages.addAndGet(r.failedImages());
            decode.addAndGet(r.decodeNanos());
            inference.addAndGet(r.inferenceNanos());
            post.addAndGet(r.postprocessNanos());
            if (r.error() != null) {
                error(r.error());
            }
        }

        void failed(long nanos, Throwable e) {
            latencies.add(nanos);
            calls.incrementAndGet();
            failedCalls.incrementAndGet();
            error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        /** Calls that arrived but were not made: the server fell behind the arrival rate. */
        void notMade(int n) {
            if (n > 0) {
                calls.addAndGet(n);
                failedCalls.addAndGet(n);
                error(n + " call(s) arrived but never got a connection: the server fell behind the arrival rate");
            }
        }

        private void error(String message) {
            synchronized (errors) {
                if (errors.size() < MAX_ERROR_SAMPLES && !errors.contains(message)) {
                    errors.add(message);
                }
            }
        }

        Sample sample(long wall, long cpu, long peakRss, long peakHeap) {
            long[] lat;
            synchronized (latencies) {
                lat = latencies.stream().mapToLong(Long::longValue).toArray();
            }
            int ok = Math.max(1, images.get() - failedImages.get());
            return new Sample(calls.get(), images.get(), failedImages.get(), failedCalls.get(), wall, lat,
                    decode.get() / ok, inference.get() / ok, post.get() / ok, cpu, peakRss, peakHeap, List.copyOf(errors));
        }
    }
}
