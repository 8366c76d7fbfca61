package dev.argus.bench.run;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a benchmark run does. Every backend runs the same corpus with the same settings: for each batch size and
 * concurrency level, {@code warmup} calls first, then {@code requests} calls (or {@code durationSeconds} of calls when
 * that is positive); all of it {@code repetitions} times, the backends in alternation, each in its own JVM.
 *
 * @param backends        what to benchmark
 * @param reference       the backend others are compared with for agreement (one of {@code backends})
 * @param images          the corpus directory; empty = {@code generatedImages} images made by {@link Corpus#generated}
 * @param warmup          calls before measuring, per setting
 * @param requests        measured calls per setting (when {@code durationSeconds} is 0)
 * @param durationSeconds measured seconds per setting; 0 = count {@code requests} instead
 * @param batchSizes      images per call
 * @param concurrency     callers at once
 * @param repetitions     times every backend runs every setting
 * @param baseline        also measure the bare engine call on pre-made tensors (local engines)
 * @param coldStart       measure process start to first answer
 * @param arrivalRate     calls per second arriving in the measured phase, an open loop in which {@code concurrency}
 *                        is the most calls in flight; 0 = a closed loop of {@code concurrency} callers
 * @param arrivals        how an open loop's calls are spaced
 */
public record BenchPlan(List<BackendSpec> backends, String reference, Optional<Path> images, int generatedImages,
                        int warmup, int requests, double durationSeconds, List<Integer> batchSizes,
                        List<Integer> concurrency, int repetitions, boolean baseline, boolean coldStart,
                        double arrivalRate, Arrivals arrivals) {
    public static final int MAX_BATCH = 256;
    public static final int MAX_CONCURRENCY = 256;

    /** How an open loop spaces its calls. */
    public enum Arrivals {
        /** At random, exponential gaps of mean 1/rate: independent clients, as a public service sees them. */
        POISSON,
        /** Evenly spaced, one every 1/rate seconds: a paced load, as wrk2's {@code -R}. */
        UNIFORM
    }

    public BenchPlan {
        backends = List.copyOf(backends);
        arrivals = arrivals == null ? Arrivals.POISSON : arrivals;
        batchSizes = List.copyOf(batchSizes);
        concurrency = List.copyOf(concurrency);
        images = images == null ? Optional.empty() : images;
        if (backends.isEmpty()) {
            throw ArgusException.configuration("No backends to benchmark.");
        }
        String ref = reference;
        if (backends.stream().noneMatch(b -> b.id().equals(ref))) {
            throw ArgusException.configuration("The reference backend '" + reference + "' is not among the benchmarked ones "
                    + backends.stream().map(BackendSpec::id).toList() + "; set --reference.");
        }
        check(generatedImages >= 1 && generatedImages <= 10_000, "--generated-images must be 1..10000, got " + generatedImages);
        check(warmup >= 0 && warmup <= 1_000_000, "--warmup must be 0..1000000, got " + warmup);
        check(requests >= 1 && requests <= 10_000_000, "--requests must be 1..10000000, got " + requests);
        check(durationSeconds >= 0 && durationSeconds <= 86_400, "--duration must be 0..86400 seconds, got " + durationSeconds);
        check(repetitions >= 1 && repetitions <= 100, "--repetitions must be 1..100, got " + repetitions);
        check(!batchSizes.isEmpty() && batchSizes.stream().allMatch(b -> b >= 1 && b <= MAX_BATCH),
                "--batch-sizes must be 1.." + MAX_BATCH + ", got " + batchSizes);
        check(!concurrency.isEmpty() && concurrency.stream().allMatch(c -> c >= 1 && c <= MAX_CONCURRENCY),
                "--concurrency must be 1.." + MAX_CONCURRENCY + ", got " + concurrency);
        check(arrivalRate >= 0 && arrivalRate <= 100_000 && !Double.isNaN(arrivalRate),
                "--arrival-rate must be 0..100000 calls/s (0 = closed loop), got " + arrivalRate);
        check(arrivalRate == 0 || durationSeconds > 0, "--arrival-rate needs --duration: an open loop runs for a time");
        check(arrivalRate * durationSeconds <= 10_000_000, "--arrival-rate x --duration is more than 10,000,000 calls");
    }

    /** A plan whose open loop, if any, has Poisson arrivals. */
    public BenchPlan(List<BackendSpec> backends, String reference, Optional<Path> images, int generatedImages,
                     int warmup, int requests, double durationSeconds, List<Integer> batchSizes,
                     List<Integer> concurrency, int repetitions, boolean baseline, boolean coldStart,
                     double arrivalRate) {
        this(backends, reference, images, generatedImages, warmup, requests, durationSeconds, batchSizes, concurrency,
                repetitions, baseline, coldStart, arrivalRate, Arrivals.POISSON);
    }

    /** A closed-loop plan (callers that each call again as soon as answered). */
    public BenchPlan(List<BackendSpec> backends, String reference, Optional<Path> images, int generatedImages,
                     int warmup, int requests, double durationSeconds, List<Integer> batchSizes,
                     List<Integer> concurrency, int repetitions, boolean baseline, boolean coldStart) {
        this(backends, reference, images, generatedImages, warmup, requests, durationSeconds, batchSizes, concurrency,
                repetitions, baseline, coldStart, 0);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw ArgusException.configuration(message);
        }
    }

    public BackendSpec backend(String id) {
        return backends.stream().filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> ArgusException.configuration("No backend '" + id + "' in this plan"));
    }

    /** Every (batch, concurrency) pair, batch-major. */
    public List<Setting> settings() {
        return batchSizes.stream().flatMap(b -> concurrency.stream().map(c -> new Setting(b, c))).toList();
    }

    /** One point of the grid. */
    public record Setting(int batch, int concurrency) {
        @Override
        public String toString() {
            return "batch " + batch + " x " + concurrency + " caller" + (concurrency == 1 ? "" : "s");
        }
    }
}
