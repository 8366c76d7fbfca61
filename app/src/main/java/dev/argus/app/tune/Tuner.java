package dev.argus.app.tune;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.out.ImageClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Measures engine settings the way {@code argus serve} runs them: the whole pipeline (decode, batching, engine,
 * labels), single-image requests from enough concurrent callers to keep every worker's batch full
 * (2 x workers x max-batch), for a fixed time after a warm-up. Then picks the fastest setting whose p99 stays within
 * a stated bound.
 */
public final class Tuner {
    /** Settings whose throughput is within this fraction of the best count as equal; the lower p99 wins among them. */
    static final double TIE = 0.02;

    /** One engine setting: {@code workers} calls at once, {@code threads} each, batches of up to {@code maxBatch}. */
    public record Candidate(int workers, int threads, int maxBatch) {
        public int callers() {
            return 2 * workers * maxBatch;
        }

        @Override
        public String toString() {
            return workers + " x " + threads + " threads, batch " + maxBatch;
        }
    }

    /** What a setting did; {@code error} is set when it could not run or an image failed (then it is not chosen). */
    public record Measured(Candidate candidate, double imagesPerSecond, double p50Millis, double p99Millis, int requests,
                           String error) {
        boolean ok() {
            return error == null;
        }

        public String row() {
            return ok() ? String.format(Locale.ROOT, "workers %d, threads %d, max-batch %d: %.1f img/s, p50 %.0f ms, p99 %.0f ms (%d requests, %d callers)",
                    candidate.workers(), candidate.threads(), candidate.maxBatch(), imagesPerSecond, p50Millis, p99Millis,
                    requests, candidate.callers())
                    : String.format(Locale.ROOT, "workers %d, threads %d, max-batch %d: failed: %s", candidate.workers(),
                    candidate.threads(), candidate.maxBatch(), error);
        }
    }

    /** The choice: {@code withinBound} is false when no setting met the bound (then the lowest p99 is chosen). */
    public record Choice(Measured chosen, boolean withinBound) {
    }

    /** A started pipeline at one setting. */
    public interface Target extends AutoCloseable {
        ImageClassifier classifier();

        @Override
        void close();

        /** A pipeline's classifier, and what closing it does. */
        static Target of(ImageClassifier classifier, Runnable close) {
            return new Target() {
                @Override
                public ImageClassifier classifier() {
                    return classifier;
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    @FunctionalInterface
    public interface Opener {
        Target open(Candidate candidate);
    }

    private final double warmupSeconds;
    private final double measureSeconds;

    public Tuner(double warmupSeconds, double measureSeconds) {
        if (!(warmupSeconds >= 0) || !(measureSeconds > 0)) {
            throw ArgusException.configuration("The warm-up must be >= 0 s and the measurement > 0 s");
        }
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    /** Every candidate in turn, each in a pipeline of its own; {@code progress} gets a line per setting. */
    public List<Measured> measureAll(List<Candidate> candidates, Opener opener, List<byte[]> images, Consumer<String> progress) {
        if (images.isEmpty()) {
            throw ArgusException.invalidInput("argus tune needs at least one image to measure with");
        }
        List<Measured> out = new ArrayList<>();
        int n = 0;
        for (Candidate c : candidates) {
            n++;
            Measured m;
            try (Target t = opener.open(c)) {
                m = measure(c, t.classifier(), images);
            } catch (ArgusException e) {
                m = new Measured(c, 0, 0, 0, 0, e.getMessage());
            } catch (RuntimeException e) { // one setting that breaks (an engine error, no memory for its workers) is a row
                m = new Measured(c, 0, 0, 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.add(m);
            progress.accept("[" + n + "/" + candidates.size() + "] " + m.row());
        }
        return out;
    }

    /**
     * One setting: warm-up, then a closed loop of {@code callers()} single-image requests for the measured time. Both
     * go on until enough requests finished, too (every caller twice in the warm-up, so that engines that optimise on
     * their first calls have done so; {@link #MIN_REQUESTS} or two per caller measured), up to {@link #HARD_LIMIT} times
     * the time asked for.
     */
    Measured measure(Candidate c, ImageClassifier classifier, List<byte[]> images) {
        ClassifyOptions options = new ClassifyOptions(1, LabelStyle.CLOUDFLARE);
        if (warmupSeconds > 0) {
            Load w = load(c.callers(), classifier, images, options, warmupSeconds, 2 * c.callers());
            if (w.error.get() != null) {
                return new Measured(c, 0, 0, 0, 0, w.error.get());
            }
        }
        Load l = load(c.callers(), classifier, images, options, measureSeconds, Math.max(MIN_REQUESTS, 2 * c.callers()));
        if (l.error.get() != null) {
            return new Measured(c, 0, 0, 0, l.latencies.size(), l.error.get());
        }
        long[] lat = l.latencies.stream().mapToLong(Long::longValue).toArray();
        if (lat.length == 0) {
            return new Measured(c, 0, 0, 0, 0, "no request finished in " + HARD_LIMIT * measureSeconds + " s");
        }
        Arrays.sort(lat);
        return new Measured(c, lat.length * 1e9 / l.wallNanos, percentile(lat, 0.50) / 1e6, percentile(lat, 0.99) / 1e6,
                lat.length, null);
    }

    /** Fewest requests a measurement rests on. */
    static final int MIN_REQUESTS = 20;
    /** How much longer than asked a phase may run to reach its request count. */
    static final int HARD_LIMIT = 10;

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static final class Load {
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> error = new AtomicReference<>();
        final java.util.concurrent.atomic.AtomicLong stopAt = new java.util.concurrent.atomic.AtomicLong();
        long wallNanos;
    }

    /**
     * Runs until {@code seconds} have passed and {@code minRequests} finished (or {@link #HARD_LIMIT} x seconds); the
     * window ends at that moment, and requests finishing after it are not counted.
     */
    private static Load load(int callers, ImageClassifier classifier, List<byte[]> images, ClassifyOptions options,
                             double seconds, int minRequests) {
        Load l = new Load();
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (seconds * 1e9);
        long hard = t0 + (long) (HARD_LIMIT * seconds * 1e9);
        CountDownLatch done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (l.stopAt.get() == 0 && System.nanoTime() < hard && l.error.get() == null) {
                        byte[] img = images.get(Math.floorMod(next.getAndIncrement(), images.size()));
                        long s = System.nanoTime();
                        List<ClassificationOutcome> r = classifier.classify(List.of(img), options);
                        long end = System.nanoTime();
                        if (r.get(0) instanceof ClassificationOutcome.Failure f) {
                            l.error.compareAndSet(null, "an image failed: " + f.toException().getMessage());
                            break;
                        }
                        long stop = l.stopAt.get();
                        if ((stop != 0 && end > stop) || end > hard) {
                            break;
                        }
                        l.latencies.add(end - s);
                        if (end >= deadline && l.latencies.size() >= minRequests) {
                            l.stopAt.compareAndSet(0, end);
                        }
                    }
                } catch (RuntimeException e) {
                    l.error.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                } finally {
                    done.countDown();
                }
            }, "argus-tune-caller");
            t.setDaemon(true);
            t.start();
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.configuration("argus tune was interrupted");
        }
        long stop = l.stopAt.get();
        l.wallNanos = (stop != 0 ? stop : Math.min(System.nanoTime(), hard)) - t0;
        return l;
    }

    /**
     * The fastest setting whose p99 is at most {@code p99BoundMillis}; settings within {@link #TIE} of the fastest
     * count as equal, and of those the one with the lowest p99 wins. When none meets the bound, the lowest p99.
     */
    public static Optional<Choice> choose(List<Measured> measured, double p99BoundMillis) {
        List<Measured> ok = measured.stream().filter(Measured::ok).toList();
        if (ok.isEmpty()) {
            return Optional.empty();
        }
        List<Measured> within = ok.stream().filter(m -> m.p99Millis() <= p99BoundMillis).toList();
        if (within.isEmpty()) {
            return Optional.of(new Choice(ok.stream().min(Comparator.comparingDouble(Measured::p99Millis)).orElseThrow(), false));
        }
        double best = within.stream().mapToDouble(Measured::imagesPerSecond).max().orElseThrow();
        Measured chosen = within.stream().filter(m -> m.imagesPerSecond() >= best * (1 - TIE))
                .min(Comparator.comparingDouble(Measured::p99Millis)).orElseThrow();
        return Optional.of(new Choice(chosen, true));
    }

    /**
     * The settings worth measuring for {@code cpus} CPUs: every worker count from {@code workers} with
     * threads = CPUs / workers (the engine never gets more threads than CPUs), times every batch size.
     */
    public static List<Candidate> candidates(int cpus, List<Integer> workers, List<Integer> batchSizes) {
        List<Candidate> out = new ArrayList<>();
        for (int w : workers) {
            for (int b : batchSizes) {
                out.add(new Candidate(w, Math.max(1, cpus / w), b));
            }
        }
        return out;
    }

    /** The worker counts tried by default: the divisors of the CPU count (so workers x threads = CPUs exactly). */
    public static List<Integer> divisors(int cpus) {
        List<Integer> out = new ArrayList<>();
        for (int d = 1; d <= cpus; d++) {
            if (cpus % d == 0) {
                out.add(d);
            }
        }
        return out;
    }
}
