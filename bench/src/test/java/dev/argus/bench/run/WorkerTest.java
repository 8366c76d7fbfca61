package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ChannelOrder;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import dev.argus.domain.Timings;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker with fakes: a classifier whose top class is the image's first byte times 7 (an image starting with 0xFF
 * is refused), an engine whose logit {@code j} is {@code first value + j/1000}, a preprocessor that writes the first
 * byte into the first value.
 */
class WorkerTest {
    private static final int CLASSES = 1000;
    private static final int WARMUP = 2;
    private static final int REQUESTS = 6;
    private static final PreprocessSpec SPEC = new PreprocessSpec(2, 2, ResizeMode.STRETCH, 0, 1f, new float[] {0, 0, 0},
            new float[] {1, 1, 1}, ChannelOrder.RGB, TensorLayout.NCHW);
    private static final BackendSpec ONNX = new BackendSpec("onnx", "onnx", Optional.empty());
    private static final Corpus CORPUS = corpus(new byte[] {3, 1}, new byte[] {5, 1}, new byte[] {11, 1}, new byte[] {42, 1});

    private final ByteArrayOutputStream eventBytes = new ByteArrayOutputStream();
    private final PrintStream events = new PrintStream(eventBytes, true, StandardCharsets.UTF_8);

    private static Corpus corpus(byte[]... images) {
        List<Corpus.Image> list = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            list.add(new Corpus.Image("img-" + i + ".jpg", images[i]));
        }
        return new Corpus("test corpus", list);
    }

    private static BenchPlan plan(boolean baseline, double duration, List<Integer> batches, List<Integer> concurrency) {
        return new BenchPlan(List.of(ONNX), "onnx", Optional.empty(), 1, WARMUP, REQUESTS, duration, batches, concurrency, 2,
                baseline, false);
    }

    private static BenchPlan plan(boolean baseline) {
        return plan(baseline, 0, List.of(1, 3), List.of(1, 2));
    }

    static int topClass(byte[] image) {
        return (image[0] & 0xff) * 7 % CLASSES;
    }

    static final class FakeClassifier implements ImageClassifier {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger allClassCalls = new AtomicInteger();
        volatile ArgusException failWith;

        @Override
        public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
            calls.incrementAndGet();
            if (failWith != null) {
                throw failWith;
            }
            if (options.topK() == CLASSES) {
                allClassCalls.incrementAndGet();
            }
            List<ClassificationOutcome> out = new ArrayList<>();
            for (byte[] image : images) {
                if ((image[0] & 0xff) == 0xff) {
                    out.add(new ClassificationOutcome.Failure(ErrorCode.INVALID_INPUT, "not an image"));
                    continue;
                }
                List<Classification> cs = new ArrayList<>();
                for (int j = 0; j < options.topK(); j++) {
                    cs.add(new Classification("class " + j, 0.5 / (j + 1), (topClass(image) + j) % CLASSES));
                }
                out.add(new ClassificationOutcome.Success(new ClassificationResult(cs, "fake", "fake-model",
                        new Timings(1_000, 2_000, 300))));
            }
            return out;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("fake", "fake-model", "fake engine 1.0", Optional.of(SPEC), CLASSES);
        }

        @Override
        public void close() {
        }
    }

    static class FakeEngine implements InferenceEngine {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public FloatTensor infer(FloatTensor input) {
            calls.incrementAndGet();
            int n = input.batchSize();
            float[] logits = new float[n * CLASSES];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < CLASSES; j++) {
                    logits[i * CLASSES + j] = input.data()[i * input.rowLength()] + j / 1000f;
                }
            }
            return new FloatTensor(new long[] {n, CLASSES}, logits);
        }

        @Override
        public String describe() {
            return "fake engine";
        }

        @Override
        public void close() {
        }
    }

    static final class ThrowingEngine extends FakeEngine {
        @Override
        public FloatTensor infer(FloatTensor input) {
            calls.incrementAndGet();
            throw ArgusException.inferenceFailed("engine exploded", null);
        }
    }

    static final class FirstBytePreprocessor implements ImagePreprocessor {
        @Override
        public void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset) {
            java.util.Arrays.fill(dst, offset, offset + spec.valuesPerImage(), 0.5f);
            dst[offset] = encoded[0] & 0xff;
        }
    }

    static final class FakeTarget implements BenchTarget {
        final FakeClassifier classifier = new FakeClassifier();
        final FakeEngine engine;
        final boolean local;
        boolean closed;

        FakeTarget(FakeEngine engine, boolean local) {
            this.engine = engine;
            this.local = local;
        }

        static FakeTarget local() {
            return new FakeTarget(new FakeEngine(), true);
        }

        static FakeTarget remote() {
            return new FakeTarget(new FakeEngine(), false);
        }

        @Override
        public ImageClassifier classifier() {
            return classifier;
        }

        @Override
        public Optional<InferenceEngine> engine() {
            return local ? Optional.of(engine) : Optional.empty();
        }

        @Override
        public Optional<Preprocessing> preprocessing() {
            return local ? Optional.of(new Preprocessing(new FirstBytePreprocessor(), SPEC)) : Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private WorkerResult run(BenchPlan plan, Corpus corpus, int repetition, BenchTarget target) {
        return new Worker(plan, corpus, events).run(ONNX, repetition, spec -> target);
    }

    private List<String> eventLines() {
        return eventBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void measuresEverySettingThroughThePipelineAndTheBareEngine() {
        FakeTarget target = FakeTarget.local();
        WorkerResult r = run(plan(true), CORPUS, 1, target);
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertThat(r.reason()).isNull();
        assertThat(r.backendId()).isEqualTo("onnx");
        assertThat(r.repetition()).isEqualTo(1);
        assertThat(r.engine()).isEqualTo("fake engine 1.0");
        assertThat(r.model()).isEqualTo("fake-model");
        assertThat(r.loadMillis()).isNotNegative();
        assertThat(r.firstAnswerMillis()).isGreaterThanOrEqualTo(r.loadMillis());
        assertThat(r.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(r.measurements()).extracting(WorkerResult.Measurement::kind, WorkerResult.Measurement::batch,
                WorkerResult.Measurement::concurrency).containsExactly(
                tuple("pipeline", 1, 1), tuple("engine", 1, 1), tuple("pipeline", 1, 2), tuple("engine", 1, 2),
                tuple("pipeline", 3, 1), tuple("engine", 3, 1), tuple("pipeline", 3, 2), tuple("engine", 3, 2));
        for (WorkerResult.Measurement m : r.measurements()) {
            assertThat(m.calls()).as(m.toString()).isEqualTo(REQUESTS);
            assertThat(m.images()).isEqualTo(REQUESTS * m.batch());
            assertThat(m.failedCalls()).isZero();
            assertThat(m.failedImages()).isZero();
            assertThat(m.errors()).isEmpty();
            assertThat(m.imagesPerSecond()).isPositive();
            assertThat(m.wallSeconds()).isPositive();
            assertThat(m.latencyQuantilesMs()).hasSize(21);
            assertThat(m.latencyQuantilesMs()[0]).isLessThanOrEqualTo(m.p50Ms());
            assertThat(m.p50Ms()).isLessThanOrEqualTo(m.p90Ms());
            assertThat(m.p90Ms()).isLessThanOrEqualTo(m.p99Ms());
            assertThat(m.p99Ms()).isLessThanOrEqualTo(m.maxMs());
            assertThat(m.latencyQuantilesMs()[20]).isEqualTo(m.maxMs());
            assertThat(m.meanMs()).isPositive().isLessThanOrEqualTo(m.maxMs());
        }
        WorkerResult.Measurement pipe = r.measurements().get(0);
        assertThat(pipe.decodeMs()).isEqualTo(0.001);
        assertThat(pipe.inferenceMs()).isEqualTo(0.002);
        assertThat(pipe.postprocessMs()).isEqualTo(0.0003);
        // first answer 1 + agreement pass 4 + 4 settings x (warm-up + requests)
        assertThat(target.classifier.calls.get()).isEqualTo(1 + 4 + 4 * (WARMUP + REQUESTS));
        // logits for the agreement pass 4 + 4 settings x (warm-up + requests)
        assertThat(target.engine.calls.get()).isEqualTo(4 + 4 * (WARMUP + REQUESTS));
        assertThat(target.closed).isTrue();
    }

    @Test
    void withoutTheBaselineOnlyThePipelineIsMeasured() {
        FakeTarget target = FakeTarget.local();
        WorkerResult r = run(plan(false), CORPUS, 1, target);
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertThat(r.measurements()).hasSize(4).extracting(WorkerResult.Measurement::kind).containsOnly("pipeline");
        assertThat(target.engine.calls.get()).as("only the agreement pass's logits").isEqualTo(4);
    }

    @Test
    void aRemoteBackendHasNoEngineMeasurementsAndNoLogits() {
        WorkerResult r = run(plan(true), CORPUS, 1, FakeTarget.remote());
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertThat(r.measurements()).hasSize(4).extracting(WorkerResult.Measurement::kind).containsOnly("pipeline");
        assertThat(r.answers()).hasSize(4).allSatisfy(a -> assertThat(a.logits()).isNull());
    }

    @Test
    void answersEveryImageOnTheFirstRepetitionWithAllClassesAndLogits() {
        WorkerResult r = run(plan(false), CORPUS, 1, FakeTarget.local());
        assertThat(r.answers()).extracting(WorkerResult.Answer::image).containsExactly("img-0.jpg", "img-1.jpg", "img-2.jpg", "img-3.jpg");
        for (int i = 0; i < CORPUS.size(); i++) {
            byte[] image = CORPUS.images().get(i).bytes();
            WorkerResult.Answer a = r.answers().get(i);
            assertThat(a.error()).isNull();
            assertThat(a.classes()).hasSize(CLASSES);
            assertThat(a.classes()[0]).isEqualTo(topClass(image));
            assertThat(a.scores()).hasSize(CLASSES);
            assertThat(a.scores()[0]).isEqualTo(0.5f);
            assertThat(a.logits()).hasSize(CLASSES);
            assertThat(a.logits()[0]).isEqualTo(image[0]);
            assertThat(a.logits()[999]).isEqualTo(image[0] + 0.999f);
        }
    }

    @Test
    void givesNoAnswersOnLaterRepetitions() {
        FakeTarget target = FakeTarget.local();
        WorkerResult r = run(plan(true), CORPUS, 2, target);
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertThat(r.repetition()).isEqualTo(2);
        assertThat(r.answers()).isEmpty();
        assertThat(target.classifier.allClassCalls.get()).isZero();
        assertThat(r.measurements()).hasSize(8);
    }

    @Test
    void anImageTheBackendRefusesIsAnErrorAnswerAndAFailedImage() {
        Corpus corpus = corpus(new byte[] {3, 1}, new byte[] {(byte) 0xff, 0});
        WorkerResult r = run(plan(false, 0, List.of(2), List.of(1)), corpus, 1, FakeTarget.local());
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        WorkerResult.Answer bad = r.answers().get(1);
        assertThat(bad.error()).isEqualTo("INVALID_INPUT: not an image");
        assertThat(bad.classes()).isEmpty();
        assertThat(bad.logits()).isNull();
        WorkerResult.Measurement m = r.measurements().get(0);
        assertThat(m.images()).isEqualTo(2 * REQUESTS);
        assertThat(m.failedImages()).isEqualTo(REQUESTS);
        assertThat(m.errors()).containsExactly("not an image");
    }

    @Test
    void aCorpusWhoseFirstImageIsBadStillRuns() {
        // a directory corpus is not checked image by image: a broken file that sorts first is an error answer like any other
        Corpus corpus = corpus(new byte[] {(byte) 0xff, 0}, new byte[] {3, 1});
        WorkerResult r = run(plan(false, 0, List.of(1), List.of(1)), corpus, 1, FakeTarget.local());
        assertThat(r.status()).as(r.reason()).isEqualTo(WorkerResult.OK);
        assertThat(r.answers()).extracting(WorkerResult.Answer::error).containsExactly("INVALID_INPUT: not an image", null);
    }

    @Test
    void aVeryShortDurationIsMeasuredNotAFailure() {
        // the plan accepts any duration from 0 to 86400 s
        WorkerResult r = run(plan(false, 1e-7, List.of(1), List.of(1)), CORPUS, 1, FakeTarget.local());
        assertThat(r.status()).as(r.reason()).isEqualTo(WorkerResult.OK);
        assertThat(r.measurements()).hasSize(1);
    }

    @Test
    void printsTheFirstAnswerThenProgressUpToTheTotal() {
        run(plan(true), CORPUS, 1, FakeTarget.local());
        assertProgressEndsAtTotal(eventLines());
    }

    @Test
    void progressAlsoEndsAtTheTotalOnALaterRepetition() {
        // no agreement pass on repetition 2: the total must not count it
        run(plan(true), CORPUS, 2, FakeTarget.local());
        assertProgressEndsAtTotal(eventLines());
    }

    @Test
    void inDurationModeEachSettingRunsForTheDuration() {
        WorkerResult r = run(plan(true, 0.05, List.of(1), List.of(2)), CORPUS, 1, FakeTarget.local());
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertThat(r.measurements()).hasSize(2).allSatisfy(m -> {
            assertThat(m.wallSeconds()).isGreaterThanOrEqualTo(0.05).isLessThan(1.0);
            assertThat(m.calls()).isPositive();
        });
        assertProgressEndsAtTotal(eventLines());
    }

    private static void assertProgressEndsAtTotal(List<String> lines) {
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(0)).isEqualTo("@@argus-bench first-answer");
        List<String> progress = lines.subList(1, lines.size());
        assertThat(progress).isNotEmpty().allMatch(l -> l.matches("@@argus-bench progress \\d+ \\d+"), "progress lines");
        long last = -1;
        long total = -1;
        for (String l : progress) {
            String[] f = l.substring("@@argus-bench progress ".length()).split(" ");
            long done = Long.parseLong(f[0]);
            long t = Long.parseLong(f[1]);
            assertThat(done).as(l).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(t);
            assertThat(total == -1 || t == total).as("one total: " + l).isTrue();
            last = done;
            total = t;
        }
        assertThat(last).as("last progress line " + progress.get(progress.size() - 1)).isEqualTo(total);
    }

    @Test
    void aBackendThatCannotStartIsUnavailableWithTheReason() {
        WorkerResult r = new Worker(plan(true), CORPUS, events).run(ONNX, 1, spec -> {
            throw ArgusException.modelUnavailable("no model at m.pt: file not found", null);
        });
        assertThat(r.status()).isEqualTo(WorkerResult.UNAVAILABLE);
        assertThat(r.reason()).isEqualTo("no model at m.pt: file not found");
        assertThat(r.backendId()).isEqualTo("onnx");
        assertThat(r.repetition()).isEqualTo(1);
        assertThat(r.measurements()).isEmpty();
        assertThat(r.answers()).isEmpty();
        assertThat(eventLines()).isEmpty();
    }

    @Test
    void aBackendThatFailsItsFirstAnswerIsAFailedRunAndIsClosed() {
        FakeTarget target = FakeTarget.local();
        target.classifier.failWith = new ArgusException(ErrorCode.REMOTE_FAILURE, "connection refused");
        WorkerResult r = run(plan(true), CORPUS, 1, target);
        assertThat(r.status()).isEqualTo(WorkerResult.FAILED);
        assertThat(r.reason()).isEqualTo("connection refused");
        assertThat(target.closed).isTrue();
    }

    @Test
    void anEngineThatAlwaysThrowsGivesEngineMeasurementsOfFailedCalls() {
        FakeTarget target = new FakeTarget(new ThrowingEngine(), true);
        WorkerResult r = run(plan(true), CORPUS, 2, target);
        assertThat(r.status()).isEqualTo(WorkerResult.OK);
        assertEngineCallsAllFailed(r);
    }

    @Test
    void anEngineThatAlwaysThrowsStillGivesMeasurementsOnTheFirstRepetition() {
        // the agreement pass asks the engine for logits too: that must not sink the whole run
        FakeTarget target = new FakeTarget(new ThrowingEngine(), true);
        WorkerResult r = run(plan(true), CORPUS, 1, target);
        assertThat(r.status()).as(r.reason()).isEqualTo(WorkerResult.OK);
        assertEngineCallsAllFailed(r);
        assertThat(r.answers()).hasSize(4);
    }

    private static void assertEngineCallsAllFailed(WorkerResult r) {
        assertThat(r.measurements()).hasSize(8);
        for (WorkerResult.Measurement m : r.measurements()) {
            if (m.kind().equals(WorkerResult.Measurement.ENGINE)) {
                assertThat(m.calls()).isEqualTo(REQUESTS);
                assertThat(m.failedCalls()).isEqualTo(REQUESTS);
                assertThat(m.imagesPerSecond()).isZero();
                assertThat(m.errors()).containsExactly("ArgusException: engine exploded");
            } else {
                assertThat(m.failedCalls()).isZero();
                assertThat(m.imagesPerSecond()).isPositive();
            }
        }
    }
}
