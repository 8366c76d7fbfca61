package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.InputLimits;
import dev.argus.domain.ModelDescription;
import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pipeline with a fake decoder (the first byte of the "file" is the class it shows; 0xFF is not an image) and a
 * fake engine (a logit of 10 at the class found in the first value of each image).
 */
class LocalImageClassifierTest {
    private static final ModelDescription MODEL = ModelDescription.resnet50("test-model");

    static final class FakePreprocessor implements ImagePreprocessor {
        @Override
        public void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset) {
            if ((encoded[0] & 0xff) == 0xff) {
                throw ArgusException.invalidInput("not an image");
            }
            dst[offset] = encoded[0] & 0xff;
        }
    }

    static class FakeEngine implements InferenceEngine {
        final List<Integer> batchSizes = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized FloatTensor infer(FloatTensor input) {
            int n = input.batchSize();
            batchSizes.add(n);
            int per = input.rowLength();
            float[] logits = new float[n * 1000];
            for (int i = 0; i < n; i++) {
                logits[i * 1000 + (int) input.data()[i * per]] = 10f;
            }
            return new FloatTensor(new long[] {n, 1000}, logits);
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] image(int cls) {
        return new byte[] {(byte) cls, 1, 2};
    }

    @Test
    void anEngineThatReturnsNanFailsItsImagesAsInferenceFailedNotAsABareException() {
        FakeEngine engine = new FakeEngine() {
            @Override
            public synchronized FloatTensor infer(FloatTensor input) {
                FloatTensor out = super.infer(input);
                out.data()[0] = Float.NaN;
                return out;
            }
        };
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 1, 1, 1000)) {
            List<ClassificationOutcome> out = c.classify(List.of(image(3)), ClassifyOptions.defaults());
            assertThat(out).singleElement().isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
        }
    }

    @Test
    void splitsLargeRequestsIntoBatchesAndKeepsTheOrder() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 4, 1, 1000);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            images.add(image(100 + i));
        }
        List<ClassificationOutcome> out = c.classify(images, ClassifyOptions.defaults());
        assertThat(engine.batchSizes).containsExactly(4, 4, 2);
        for (int i = 0; i < 10; i++) {
            assertThat(out.get(i).orThrow().top().classIndex()).isEqualTo(100 + i);
            assertThat(out.get(i).orThrow().backend()).isEqualTo("fake");
            assertThat(out.get(i).orThrow().model()).isEqualTo("test-model");
        }
    }

    @Test
    void oneCallerWithManyImagesKeepsEveryWorkerBusy() throws Exception {
        // two workers, batches of one: the images of one call must reach both at once (not one chunk at a time)
        CountDownLatch both = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        FakeEngine engine = new FakeEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                both.countDown();
                try {
                    both.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    return super.infer(input);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 1, 2, 5_000)) {
            List<ClassificationOutcome> out = c.classify(List.of(image(1), image(2), image(3), image(4)), ClassifyOptions.defaults());
            assertThat(out).extracting(o -> o.orThrow().top().classIndex()).containsExactly(1, 2, 3, 4);
        }
        assertThat(peak.get()).as("engine calls at once").isEqualTo(2);
    }

    @Test
    void anUndecodableImageFailsAloneAndIsNotSentToTheEngine() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 8, 1, 1000);
        List<ClassificationOutcome> out = c.classify(List.of(image(7), new byte[] {(byte) 0xff}, image(9)), ClassifyOptions.defaults());
        assertThat(engine.batchSizes).containsExactly(2);
        assertThat(out.get(0).orThrow().top().classIndex()).isEqualTo(7);
        assertThat(out.get(1)).isEqualTo(new ClassificationOutcome.Failure(ErrorCode.INVALID_INPUT, "not an image"));
        assertThat(out.get(2).orThrow().top().classIndex()).isEqualTo(9);
    }

    @Test
    void aBatchOfOnlyBadImagesNeverCallsTheEngine() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 8, 1, 1000);
        assertThat(c.classify(List.of(new byte[] {(byte) 0xff}), ClassifyOptions.defaults()).get(0))
                .isInstanceOf(ClassificationOutcome.Failure.class);
        assertThat(engine.batchSizes).isEmpty();
    }

    @Test
    void reportsOverloadWhenTheQueueStaysFull() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeEngine blocking = new FakeEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                entered.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.infer(input);
            }
        };
        // one worker, batches of 2: room for 4 images (one batch in the engine, one forming)
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), blocking, 2, 1, 50);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<ClassificationOutcome>> first = pool.submit(() -> c.classify(List.of(image(1)), ClassifyOptions.defaults()));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            Future<List<ClassificationOutcome>> second = pool.submit(() -> c.classify(List.of(image(2), image(3)), ClassifyOptions.defaults()));
            while (c.scheduler().queueDepth() < 2) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> c.classify(List.of(image(4), image(5)), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED))
                    .hasMessageContaining("queue is full");
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS).get(0).orThrow().top().classIndex()).isEqualTo(1);
            assertThat(second.get(5, TimeUnit.SECONDS)).extracting(o -> o.orThrow().top().classIndex()).containsExactly(2, 3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void infersPreMadeTensorsInEngineSizedChunksAndChecksTheirShape() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 2, 1, 1000);
        int per = 3 * 224 * 224;
        float[] data = new float[3 * per];
        data[0] = 11;
        data[per] = 22;
        data[2 * per] = 33;
        FloatTensor out = c.infer(new FloatTensor(new long[] {3, 3, 224, 224}, data));
        assertThat(out.shape()).containsExactly(3, 1000);
        assertThat(engine.batchSizes).containsExactly(2, 1);
        assertThat(out.data()[11]).isEqualTo(10f);
        assertThat(out.data()[1000 + 22]).isEqualTo(10f);
        assertThat(out.data()[2000 + 33]).isEqualTo(10f);
        assertThatThrownBy(() -> c.infer(new FloatTensor(new long[] {1, 3, 100, 100}, new float[3 * 100 * 100])))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("[1, 3, 100, 100]").hasMessageContaining("[N, 3, 224, 224]");
    }

    @Test
    void closesTheEngineOnceAndRefusesLaterCalls() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 8, 1, 1000);
        c.close();
        c.close();
        assertThat(engine.closed).isTrue();
        assertThatThrownBy(() -> c.classify(List.of(image(1)), ClassifyOptions.defaults())).hasMessageContaining("closed");
    }

    @Test
    void serviceValidatesInputsBeforeTheyReachTheClassifier() {
        FakeEngine engine = new FakeEngine();
        LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), engine, 8, 1, 1000);
        ClassificationService service = new ClassificationService(c, new InputLimits(100));
        List<ClassificationOutcome> out = service.classifyBatch(List.of(
                ImageInput.ofNumbers(new double[] {5, 1}),
                ImageInput.ofNumbers(new double[] {5, 256}),
                ImageInput.of(new byte[101]),
                ImageInput.of(image(6))), ClassifyOptions.defaults());
        assertThat(out.get(0).orThrow().top().classIndex()).isEqualTo(5);
        assertThat(((ClassificationOutcome.Failure) out.get(1)).message()).contains("image[1] = 256");
        assertThat(((ClassificationOutcome.Failure) out.get(2)).code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
        assertThat(out.get(3).orThrow().top().classIndex()).isEqualTo(6);
        assertThat(engine.batchSizes).containsExactly(2);
        assertThatThrownBy(() -> service.classify(ImageInput.of(new byte[0]), ClassifyOptions.defaults())).hasMessageContaining("empty");
        assertThatThrownBy(() -> service.classifyBatch(List.of(), ClassifyOptions.defaults())).hasMessageContaining("empty");
        assertThat(service.model().backend()).isEqualTo("fake");
    }

    @Test
    void aRequestPastItsDeadlineTimesOutWhileTheEngineIsStuckAndItsImagesNeverReachTheEngine() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        FakeEngine stuck = new FakeEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                seen.add((int) input.data()[0]);
                entered.countDown();
                boolean released = false;
                while (!released) { // as native code: interrupts are ignored
                    try {
                        released = release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        // ignored
                    }
                }
                return super.infer(input);
            }
        };
        // one worker, batch 1: room for 2 images
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, new FakePreprocessor(), stuck, 1, 1, 10_000)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<List<ClassificationOutcome>> first = pool.submit(() -> c.classify(List.of(image(1)), ClassifyOptions.defaults()));
                assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
                long t0 = System.nanoTime();
                ClassifyOptions late = ClassifyOptions.defaults().withDeadline(Deadline.after(java.time.Duration.ofMillis(200)));
                assertThatThrownBy(() -> c.classify(List.of(image(2)), late))
                        .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                        .hasMessageContaining("200 ms");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("answered at the deadline").isLessThan(3_000);
                release.countDown();
                assertThat(first.get(5, TimeUnit.SECONDS).get(0).orThrow().top().classIndex()).isEqualTo(1);
                // the expired image was dropped by the worker and gave its place back: the pipeline serves on
                assertThat(c.classify(List.of(image(3)), ClassifyOptions.defaults()).get(0).orThrow().top().classIndex()).isEqualTo(3);
                assertThat(seen).containsExactly(1, 3);
                assertThat(c.scheduler().droppedCount()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRequestWhoseCallerHasGoneIsNeitherDecodedNorInferred() {
        java.util.concurrent.atomic.AtomicInteger decoded = new java.util.concurrent.atomic.AtomicInteger();
        ImagePreprocessor counting = (encoded, spec, dst, offset) -> {
            decoded.incrementAndGet();
            new FakePreprocessor().preprocess(encoded, spec, dst, offset);
        };
        FakeEngine engine = new FakeEngine();
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, counting, engine, 4, 1, 1000)) {
            ClassifyOptions gone = ClassifyOptions.defaults().withDeadline(Deadline.none().orWhen(() -> true));
            assertThatThrownBy(() -> c.classify(List.of(image(1), image(2)), gone))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
                    .hasMessageContaining("cancelled");
            assertThat(decoded.get()).isZero();
            assertThat(engine.batchSizes).isEmpty();
        }
    }

    @Test
    void decodesOnAPoolSizedAsConfiguredNotOnTheCallersThreads() throws Exception {
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ImagePreprocessor slow = (encoded, spec, dst, offset) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            threads.add(Thread.currentThread().getName());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            new FakePreprocessor().preprocess(encoded, spec, dst, offset);
        };
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, slow, new FakeEngine(), 4, 2, 5_000, 0, 2)) {
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<ClassificationOutcome>>> all = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int cls = i;
                    all.add(callers.submit(() -> c.classify(List.of(image(cls), image(cls + 10), image(cls + 20)), ClassifyOptions.defaults())));
                }
                for (int i = 0; i < 8; i++) {
                    assertThat(all.get(i).get(10, TimeUnit.SECONDS)).extracting(o -> o.orThrow().top().classIndex())
                            .containsExactly(i, i + 10, i + 20);
                }
            } finally {
                callers.shutdownNow();
            }
        }
        assertThat(most.get()).as("images decoded at once by 8 callers on a pool of 2").isBetween(1, 2);
        assertThat(threads).allMatch(t -> t.startsWith("fake-decode-"));
    }

    @Test
    void rowsAreReusedAcrossRequestsWithoutMixingImages() {
        java.util.Set<float[]> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        ImagePreprocessor recording = (encoded, spec, dst, offset) -> {
            seen.add(dst);
            new FakePreprocessor().preprocess(encoded, spec, dst, offset);
        };
        try (LocalImageClassifier c = new LocalImageClassifier("fake", MODEL, recording, new FakeEngine(), 2, 1, 1000, 0, 1)) {
            for (int i = 0; i < 50; i++) {
                List<ClassificationOutcome> out = c.classify(List.of(image(i), image(i + 100), new byte[] {(byte) 0xff}), ClassifyOptions.defaults());
                assertThat(out.get(0).orThrow().top().classIndex()).isEqualTo(i);
                assertThat(out.get(1).orThrow().top().classIndex()).isEqualTo(i + 100);
                assertThat(out.get(2)).isInstanceOf(ClassificationOutcome.Failure.class);
            }
        }
        assertThat(seen).as("150 images decoded into a handful of reused rows").hasSizeLessThanOrEqualTo(8);
    }
}
