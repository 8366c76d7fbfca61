package dev.argus.bench.run;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.InferenceEngine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one backend through the whole plan, inside its own JVM: start it (load time), answer once (first answer),
 * classify every image with all classes for the agreement pass, then each setting for the pipeline and, for local
 * engines, the bare engine on pre-made tensors. Reports progress on {@code events} for the orchestrator.
 */
public final class Worker {
    /** Prefix of the lines a worker prints for its orchestrator. */
    public static final String EVENT = "@@argus-bench ";
    private static final int QUANTILES = 21;
    private static final ClassifyOptions ALL_CLASSES = new ClassifyOptions(1000, LabelStyle.CLOUDFLARE);
    private static final ClassifyOptions TOP5 = new ClassifyOptions(5, LabelStyle.CLOUDFLARE);

    private final BenchPlan plan;
    private final Corpus corpus;
    private final PrintStream events;
    private ResourceMeter meter = new ResourceMeter();
    private long lastEvent;

    public Worker(BenchPlan plan, Corpus corpus, PrintStream events) {
        this.plan = plan;
        this.corpus = corpus;
        this.events = events;
    }

    /** Never throws for a backend that cannot start: that is an {@code unavailable} result. */
    public WorkerResult run(BackendSpec spec, int repetition, BenchTarget.Factory factory) {
        long t0 = System.nanoTime();
        BenchTarget target;
        try {
            target = factory.open(spec);
        } catch (ArgusException e) {
            return WorkerResult.notRun(spec.id(), repetition, WorkerResult.UNAVAILABLE, e.getMessage());
        }
        String metered = meterServer(spec);
        try (target) {
            long loaded = System.nanoTime();
            ImageClassifier classifier = target.classifier();
            ClassificationOutcome first = classifier.classify(List.of(corpus.images().get(0).bytes()), TOP5).get(0);
            if (first instanceof ClassificationOutcome.Failure f && f.code() != dev.argus.domain.ErrorCode.INVALID_INPUT
                    && f.code() != dev.argus.domain.ErrorCode.INPUT_TOO_LARGE) {
                throw f.toException();
            }
            long answered = System.nanoTime();
            events.println(EVENT + "first-answer");
            events.flush();
            long rss = meter.rssBytes();
            long heap = meter.heapUsedBytes();
            Progress progress = new Progress(units(repetition, target.engine().isPresent() && target.preprocessing().isPresent()));
            List<WorkerResult.Answer> answers = repetition == 1 ? answers(target, progress) : List.of();
            List<WorkerResult.Measurement> measurements = new ArrayList<>();
            for (BenchPlan.Setting s : plan.settings()) {
                measurements.add(measure(WorkerResult.Measurement.PIPELINE, s, pipelineCall(classifier, s.batch()), progress));
                if (plan.baseline() && target.engine().isPresent() && target.preprocessing().isPresent()) {
                    measurements.add(measure(WorkerResult.Measurement.ENGINE, s, engineCall(target, s.batch()), progress));
                }
            }
            return new WorkerResult(spec.id(), repetition, WorkerResult.OK, null,
                    classifier.info().engine() + target.sizing().map(z -> "; " + z).orElse("") + metered,
                    classifier.info().model(), millis(loaded - t0), millis(answered - t0), rss, heap,
                    meter.peakRssIsPerPhase(), ResourceMeter.cpus(), measurements, answers);
        } catch (ArgusException | IllegalStateException e) {
            return WorkerResult.notRun(spec.id(), repetition, WorkerResult.FAILED, e.getMessage());
        }
    }

    /**
     * For a backend served by another process of this machine (another Argus, the transformers.js peer on loopback):
     * meter that process, so that the CPU and RSS columns are the server's. Says which process the columns describe.
     */
    private String meterServer(BackendSpec spec) {
        if (!spec.remote() || spec.value().isEmpty()) {
            return "";
        }
        java.util.Optional<Long> pid = LocalListener.pidFor(spec.value().get());
        if (pid.isEmpty()) {
            return "; CPU and RSS columns: this load generator (the server is not on this machine's loopback)";
        }
        meter = ResourceMeter.of(pid.get());
        return "; CPU and RSS columns: the server, pid " + pid.get() + " (" + LocalListener.command(pid.get()) + ")";
    }

    private long units(int repetition, boolean engine) {
        long perSetting = plan.durationSeconds() > 0 ? 1000 : plan.warmup() + plan.requests();
        return (repetition == 1 ? corpus.size() : 0) + (long) plan.settings().size() * perSetting * (engine && plan.baseline() ? 2 : 1);
    }

    private List<WorkerResult.Answer> answers(BenchTarget target, Progress progress) {
        List<WorkerResult.Answer> out = new ArrayList<>();
        for (Corpus.Image image : corpus.images()) {
            ClassificationOutcome o;
            try {
                o = target.classifier().classify(List.of(image.bytes()), ALL_CLASSES).get(0);
            } catch (ArgusException e) {
                o = ClassificationOutcome.Failure.of(e);
            }
            if (o instanceof ClassificationOutcome.Failure f) {
                out.add(new WorkerResult.Answer(image.name(), f.code() + ": " + f.message(), new int[0], new float[0], null));
            } else {
                ClassificationResult r = o.orThrow();
                List<Classification> cs = r.classifications();
                int[] classes = cs.stream().mapToInt(Classification::classIndex).toArray();
                float[] scores = new float[cs.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = (float) cs.get(i).score();
                }
                out.add(new WorkerResult.Answer(image.name(), null, classes, scores, logits(target, image).orElse(null)));
            }
            progress.add(1);
        }
        return out;
    }

    private static Optional<float[]> logits(BenchTarget target, Corpus.Image image) {
        if (target.engine().isEmpty() || target.preprocessing().isEmpty()) {
            return Optional.empty();
        }
        BenchTarget.Preprocessing p = target.preprocessing().get();
        try {
            float[] input = p.preprocessor().preprocess(image.bytes(), p.spec());
            return Optional.of(target.engine().get().infer(new FloatTensor(p.spec().batchShape(1), input)).data());
        } catch (ArgusException e) {
            return Optional.empty();
        }
    }

    private LoadGenerator.Call pipelineCall(ImageClassifier classifier, int batch) {
        return k -> {
            List<byte[]> images = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                images.add(corpus.images().get((k * batch + i) % corpus.size()).bytes());
            }
            List<ClassificationOutcome> out = classifier.classify(images, TOP5);
            int failed = 0;
            long decode = 0;
            long infer = 0;
            long post = 0;
            String error = null;
            for (ClassificationOutcome o : out) {
                if (o instanceof ClassificationOutcome.Success s) {
                    decode += s.result().timings().decodeNanos();
                    infer += s.result().timings().inferenceNanos();
                    post += s.result().timings().postprocessNanos();
                } else {
                    failed++;
                    error = ((ClassificationOutcome.Failure) o).message();
                }
            }
            return new LoadGenerator.CallResult(images.size(), failed, decode, infer, post, error);
        };
    }

    /** Pre-made batches (a few distinct ones, cycled), so that the call measures the engine alone. */
    private LoadGenerator.Call engineCall(BenchTarget target, int batch) {
        BenchTarget.Preprocessing p = target.preprocessing().orElseThrow();
        InferenceEngine engine = target.engine().orElseThrow();
        int per = p.spec().valuesPerImage();
        int distinct = Math.max(1, Math.min(4, corpus.size() / batch));
        List<FloatTensor> tensors = new ArrayList<>();
        for (int d = 0; d < distinct; d++) {
            float[] data = new float[batch * per];
            for (int i = 0; i < batch; i++) {
                p.preprocessor().preprocess(corpus.images().get((d * batch + i) % corpus.size()).bytes(), p.spec(), data, i * per);
            }
            tensors.add(new FloatTensor(p.spec().batchShape(batch), data));
        }
        return k -> {
            FloatTensor out = engine.infer(tensors.get(k % tensors.size()));
            if (out.batchSize() != batch) {
                throw new IllegalStateException("engine returned " + out.batchSize() + " rows for " + batch);
            }
            return LoadGenerator.CallResult.ok(batch);
        };
    }

    private WorkerResult.Measurement measure(String kind, BenchPlan.Setting s, LoadGenerator.Call call, Progress progress) {
        long base = progress.done;
        long phaseStart = System.nanoTime();
        boolean timed = plan.durationSeconds() > 0;
        LoadGenerator.Sample r = new LoadGenerator(meter).run(call, s.concurrency(), plan.warmup(), plan.requests(),
                plan.durationSeconds(), plan.arrivalRate(), plan.arrivals(), k -> {
                    if (timed) {
                        progress.at(base + Math.min(999, (System.nanoTime() - phaseStart) / Math.max(1L, (long) (plan.durationSeconds() * 1e6))));
                    } else {
                        progress.at(base + Math.min(k + 1L, plan.warmup() + (long) plan.requests()));
                    }
                });
        progress.at(base + (timed ? 1000 : plan.warmup() + (long) plan.requests()));
        double[] q = Stats.quantiles(r.latencies(), QUANTILES);
        for (int i = 0; i < q.length; i++) {
            q[i] = q[i] / 1e6;
        }
        double wallSec = r.wallNanos() / 1e9;
        double meanMs = r.latencies().length == 0 ? Double.NaN
                : java.util.Arrays.stream(r.latencies()).average().orElse(Double.NaN) / 1e6;
        return new WorkerResult.Measurement(kind, s.batch(), s.concurrency(), r.calls(), r.images(), r.failedImages(),
                r.failedCalls(), wallSec, r.imagesPerSecond(), Stats.percentile(r.latencies(), 50) / 1e6,
                Stats.percentile(r.latencies(), 90) / 1e6, Stats.percentile(r.latencies(), 99) / 1e6,
                Stats.percentile(r.latencies(), 100) / 1e6, meanMs, q, r.decodeNanos() / 1e6, r.inferenceNanos() / 1e6,
                r.postprocessNanos() / 1e6, wallSec == 0 ? 0 : r.cpuNanos() / (r.wallNanos() * (double) ResourceMeter.cpus()),
                r.peakRssBytes(), r.peakHeapBytes(), r.errors());
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Progress events, at most five a second. */
    private final class Progress {
        private final long total;
        private long done;

        Progress(long total) {
            this.total = Math.max(1, total);
        }

        synchronized void add(long n) {
            at(done + n);
        }

        synchronized void at(long value) {
            done = Math.max(done, value);
            long now = System.nanoTime();
            if (now - lastEvent > 200_000_000L || done >= total) {
                lastEvent = now;
                events.println(EVENT + "progress " + done + " " + total);
                events.flush();
            }
        }
    }
}
