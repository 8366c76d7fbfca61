package dev.argus.bench.report;

import dev.argus.bench.run.BackendSpec;
import dev.argus.bench.run.BenchPlan;
import dev.argus.bench.run.Corpus;
import dev.argus.bench.run.Orchestrator;
import dev.argus.bench.run.Stats;
import dev.argus.bench.run.WorkerResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's result, as written to {@code bench.json} (schema {@value #SCHEMA}): where it ran, what was run,
 * every backend's start-up figures, one row per backend x kind x setting with medians and spread over the
 * repetitions, and the agreement matrix. Numbers that could not be measured are null.
 */
public record BenchReport(String schema, String createdAt, Machine machine, PlanInfo plan, List<BackendInfo> backends,
                          List<Row> rows, AgreementInfo agreement) {
    /** Bump the number when a field changes meaning or goes away; adding fields keeps it. */
    public static final String SCHEMA = "argus-bench/1";

    /** What was run. */
    public record PlanInfo(List<String> backends, String reference, String corpus, int images, long corpusBytes,
                           int warmup, int requests, double durationSeconds, List<Integer> batchSizes,
                           List<Integer> concurrency, int repetitions, boolean baseline, double arrivalRate,
                           String arrivals) {
        /** As before open loops could be paced: Poisson arrivals when {@code arrivalRate} is positive. */
        public PlanInfo(List<String> backends, String reference, String corpus, int images, long corpusBytes, int warmup,
                        int requests, double durationSeconds, List<Integer> batchSizes, List<Integer> concurrency,
                        int repetitions, boolean baseline, double arrivalRate) {
            this(backends, reference, corpus, images, corpusBytes, warmup, requests, durationSeconds, batchSizes,
                    concurrency, repetitions, baseline, arrivalRate, arrivalRate > 0 ? "poisson" : null);
        }

        /** How an open loop's calls were spaced, in words for a report. */
        public String arrivalWords() {
            return "uniform".equals(arrivals) ? "calls arrive evenly spaced (paced)" : "calls arrive at random (Poisson)";
        }
    }

    /** Median, minimum and maximum over repetitions, and the values themselves in run order. */
    public record Spread(Double median, Double min, Double max, List<Double> values) {
        static Spread of(List<Double> values) {
            List<Double> clean = values.stream().filter(v -> v != null && !v.isNaN() && !v.isInfinite()).toList();
            if (clean.isEmpty()) {
                return new Spread(null, null, null, List.of());
            }
            return new Spread(Stats.median(clean), Stats.min(clean), Stats.max(clean), clean);
        }

        /** (max - min) / median, or null. */
        public Double relativeSpread() {
            return median == null || median == 0 ? null : (max - min) / median;
        }
    }

    /** One backend: how it started, or why it could not. */
    public record BackendInfo(String id, String backend, String value, String status, String reason, String engine,
                              String model, Spread loadMillis, Spread coldStartMillis, Spread firstAnswerMillis,
                              Spread rssAfterLoadBytes, Spread heapAfterLoadBytes) {
    }

    /**
     * One backend, kind ({@code pipeline}, or {@code engine}: the bare call on pre-made tensors) and setting.
     * {@code overheadVsEngine}: this row's throughput over the same backend's bare engine at the same setting;
     * {@code vsReferenceEngine}: over the reference backend's bare engine.
     */
    public record Row(String backend, String kind, int batch, int concurrency, int repetitions, Spread imagesPerSecond,
                      Spread p50Ms, Spread p90Ms, Spread p99Ms, Spread maxMs, Spread meanMs, double[] latencyQuantilesMs,
                      Spread decodeMs, Spread inferenceMs, Spread postprocessMs, Spread cpuUtilisation,
                      Spread peakRssBytes, Spread peakHeapBytes, boolean peakRssPerPhase, int calls, int failedImages,
                      int failedCalls, List<String> errorSamples, Double overheadVsEngine, Double vsReferenceEngine) {
        public String key() {
            return backend + "|" + kind + "|" + batch + "|" + concurrency;
        }
    }

    /**
     * Every pair of backends that answered; per-image details for the pairs with the reference. {@code tolerance}: the
     * bound for backends that run the same weights, null when judging was turned off; {@code verdicts}: each backend
     * that answered, against the reference (none when off).
     */
    public record AgreementInfo(String reference, List<String> backends, List<Agreement.Pair> pairs,
                                AgreementTolerance tolerance, List<AgreementVerdict> verdicts) {
        public Agreement.Pair pair(String a, String b) {
            return pairs.stream().filter(p -> p.a().equals(a) && p.b().equals(b)).findFirst().orElse(null);
        }

        /** The verdict on {@code backend}, or null. */
        public AgreementVerdict verdict(String backend) {
            return verdicts.stream().filter(v -> v.backend().equals(backend)).findFirst().orElse(null);
        }

        /** The backends outside the tolerance. */
        public List<AgreementVerdict> disagreeing() {
            return verdicts.stream().filter(AgreementVerdict::disagrees).toList();
        }
    }

    /** With the default tolerance, every backend in single precision. */
    public static BenchReport build(BenchPlan plan, Corpus corpus, List<Orchestrator.Run> runs, Machine machine) {
        return build(plan, corpus, runs, machine, Optional.of(AgreementTolerance.DEFAULT), Set.of());
    }

    /**
     * @param tolerance     the agreement bound for backends that run the same weights; empty: not judged
     * @param halfPrecision the backends (ids) that compute in half precision, judged with the tolerance's fp16 bound
     */
    public static BenchReport build(BenchPlan plan, Corpus corpus, List<Orchestrator.Run> runs, Machine machine,
                                    Optional<AgreementTolerance> tolerance, Set<String> halfPrecision) {
        PlanInfo info = new PlanInfo(plan.backends().stream().map(BackendSpec::toString).toList(), plan.reference(),
                corpus.source(), corpus.size(), corpus.bytes(), plan.warmup(), plan.requests(), plan.durationSeconds(),
                plan.batchSizes(), plan.concurrency(), plan.repetitions(), plan.baseline(), plan.arrivalRate(),
                plan.arrivalRate() > 0 ? plan.arrivals().name().toLowerCase(java.util.Locale.ROOT) : null);
        List<BackendInfo> backends = new ArrayList<>();
        for (BackendSpec spec : plan.backends()) {
            backends.add(backend(spec, runs.stream().filter(r -> r.result().backendId().equals(spec.id())).toList()));
        }
        List<Row> rows = rows(plan, runs);
        return new BenchReport(SCHEMA, Instant.now().toString(), machine, info, backends, rows,
                agreement(plan, runs, tolerance, halfPrecision));
    }

    private static BackendInfo backend(BackendSpec spec, List<Orchestrator.Run> runs) {
        List<Orchestrator.Run> ok = runs.stream().filter(r -> r.result().status().equals(WorkerResult.OK)).toList();
        WorkerResult first = ok.isEmpty() ? (runs.isEmpty() ? null : runs.get(0).result()) : ok.get(0).result();
        String status = ok.isEmpty() ? (first == null ? WorkerResult.FAILED : first.status()) : WorkerResult.OK;
        String reason = runs.stream().map(r -> r.result().reason()).filter(Objects::nonNull).findFirst().orElse(null);
        return new BackendInfo(spec.id(), spec.backend(), spec.value().orElse(null), status, reason,
                first == null ? null : first.engine(), first == null ? null : first.model(),
                spread(ok, r -> r.result().loadMillis()), spread(ok, r -> r.coldStartMillis() < 0 ? Double.NaN : r.coldStartMillis()),
                spread(ok, r -> r.result().firstAnswerMillis()), spread(ok, r -> r.result().rssAfterLoadBytes()),
                spread(ok, r -> r.result().heapAfterLoadBytes()));
    }

    private static Spread spread(List<Orchestrator.Run> runs, ToDoubleFunction<Orchestrator.Run> f) {
        return Spread.of(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    private static List<Row> rows(BenchPlan plan, List<Orchestrator.Run> runs) {
        Map<String, List<WorkerResult.Measurement>> groups = new LinkedHashMap<>();
        Map<String, Boolean> perPhase = new LinkedHashMap<>();
        for (BackendSpec spec : plan.backends()) {
            for (String kind : List.of(WorkerResult.Measurement.ENGINE, WorkerResult.Measurement.PIPELINE)) {
                for (BenchPlan.Setting s : plan.settings()) {
                    for (Orchestrator.Run run : runs) {
                        if (!run.result().backendId().equals(spec.id())) {
                            continue;
                        }
                        for (WorkerResult.Measurement m : run.result().measurements()) {
                            if (m.kind().equals(kind) && m.batch() == s.batch() && m.concurrency() == s.concurrency()) {
                                String key = spec.id() + "|" + kind + "|" + s.batch() + "|" + s.concurrency();
                                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
                                perPhase.merge(key, run.result().peakRssPerPhase(), Boolean::logicalAnd);
                            }
                        }
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, ms) -> rows.add(row(key, ms, perPhase.get(key))));
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            Double own = ratio(r, find(rows, r.backend(), WorkerResult.Measurement.ENGINE, r.batch(), r.concurrency()));
            Double ref = ratio(r, find(rows, plan.reference(), WorkerResult.Measurement.ENGINE, r.batch(), r.concurrency()));
            out.add(new Row(r.backend(), r.kind(), r.batch(), r.concurrency(), r.repetitions(), r.imagesPerSecond(), r.p50Ms(),
                    r.p90Ms(), r.p99Ms(), r.maxMs(), r.meanMs(), r.latencyQuantilesMs(), r.decodeMs(), r.inferenceMs(),
                    r.postprocessMs(), r.cpuUtilisation(), r.peakRssBytes(), r.peakHeapBytes(), r.peakRssPerPhase(), r.calls(),
                    r.failedImages(), r.failedCalls(), r.errorSamples(), own, ref));
        }
        return out;
    }

    private static Row find(List<Row> rows, String backend, String kind, int batch, int concurrency) {
        return rows.stream().filter(r -> r.backend().equals(backend) && r.kind().equals(kind) && r.batch() == batch
                && r.concurrency() == concurrency).findFirst().orElse(null);
    }

    private static Double ratio(Row r, Row base) {
        if (base == null || base.imagesPerSecond().median() == null || r.imagesPerSecond().median() == null
                || base.imagesPerSecond().median() == 0) {
            return null;
        }
        return r.imagesPerSecond().median() / base.imagesPerSecond().median();
    }

    private static Row row(String key, List<WorkerResult.Measurement> ms, boolean perPhase) {
        String[] k = key.split("\\|");
        double[] quantiles = new double[ms.get(0).latencyQuantilesMs().length];
        for (int i = 0; i < quantiles.length; i++) {
            int q = i;
            quantiles[i] = Stats.median(ms.stream().map(m -> m.latencyQuantilesMs()[q]).toList());
        }
        for (double q : quantiles) {
            if (Double.isNaN(q)) {
                quantiles = new double[0];
                break;
            }
        }
        List<String> errors = ms.stream().flatMap(m -> m.errors().stream()).distinct().limit(5).toList();
        return new Row(k[0], k[1], Integer.parseInt(k[2]), Integer.parseInt(k[3]), ms.size(),
                of(ms, WorkerResult.Measurement::imagesPerSecond), of(ms, WorkerResult.Measurement::p50Ms),
                of(ms, WorkerResult.Measurement::p90Ms), of(ms, WorkerResult.Measurement::p99Ms),
                of(ms, WorkerResult.Measurement::maxMs), of(ms, WorkerResult.Measurement::meanMs), quantiles,
                of(ms, WorkerResult.Measurement::decodeMs), of(ms, WorkerResult.Measurement::inferenceMs),
                of(ms, WorkerResult.Measurement::postprocessMs), of(ms, WorkerResult.Measurement::cpuUtilisation),
                of(ms, m -> m.peakRssBytes() < 0 ? Double.NaN : m.peakRssBytes()), of(ms, m -> (double) m.peakHeapBytes()),
                perPhase, ms.stream().mapToInt(WorkerResult.Measurement::calls).sum(),
                ms.stream().mapToInt(WorkerResult.Measurement::failedImages).sum(),
                ms.stream().mapToInt(WorkerResult.Measurement::failedCalls).sum(), errors, null, null);
    }

    private static Spread of(List<WorkerResult.Measurement> ms, ToDoubleFunction<WorkerResult.Measurement> f) {
        return Spread.of(ms.stream().map(m -> f.applyAsDouble(m)).toList());
    }

    private static AgreementInfo agreement(BenchPlan plan, List<Orchestrator.Run> runs, Optional<AgreementTolerance> tolerance,
                                           Set<String> halfPrecision) {
        Map<String, List<WorkerResult.Answer>> answers = new LinkedHashMap<>();
        for (BackendSpec spec : plan.backends()) {
            runs.stream().filter(r -> r.result().backendId().equals(spec.id()) && !r.result().answers().isEmpty())
                    .min(Comparator.comparingInt(r -> r.result().repetition()))
                    .ifPresent(r -> answers.put(spec.id(), r.result().answers()));
        }
        List<String> ids = new ArrayList<>(answers.keySet());
        List<Agreement.Pair> pairs = new ArrayList<>();
        for (String a : ids) {
            for (String b : ids) {
                if (a.equals(b)) {
                    continue;
                }
                Agreement.Pair p = Agreement.compare(a, answers.get(a), b, answers.get(b));
                if (!a.equals(plan.reference())) {
                    p = new Agreement.Pair(p.a(), p.b(), p.images(), p.top1Agreement(), p.top5OverlapMean(),
                            p.top5OverlapMin(), p.maxScoreDiff(), p.maxLogitDiff(), p.maxLogitDiffOfRange(), List.of());
                }
                pairs.add(p);
            }
        }
        List<AgreementVerdict> verdicts = new ArrayList<>();
        tolerance.ifPresent(t -> pairs.stream().filter(p -> p.a().equals(plan.reference())).forEach(p -> verdicts.add(
                AgreementVerdict.judge(p, halfPrecision.contains(p.a()) || halfPrecision.contains(p.b()), t))));
        return new AgreementInfo(plan.reference(), ids, pairs, tolerance.orElse(null), verdicts);
    }

    /** The row, or null. */
    public Row row(String backend, String kind, int batch, int concurrency) {
        return find(rows, backend, kind, batch, concurrency);
    }
}
