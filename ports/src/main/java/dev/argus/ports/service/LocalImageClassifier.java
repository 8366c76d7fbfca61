package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ModelDescription;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Timings;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.in.ModelInfo;
import dev.argus.ports.out.FloatTensor;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local pipeline: decode and preprocess each image, run the engine on batches, softmax, top-k, labels. Bounds the
 * number of engine calls in flight so that engine threads x concurrent calls stays at the number of cores.
 */
public final class LocalImageClassifier implements ImageClassifier, InferTensorUseCase {
    private final String backend;
    private final ModelDescription model;
    private final ImagePreprocessor preprocessor;
    private final InferenceEngine engine;
    private final int maxBatch;
    private final Semaphore inFlight;
    private final long queueTimeoutMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param backend             backend name for results ({@code onnx}, ...)
     * @param maxConcurrent       engine calls allowed at once
     * @param queueTimeoutMillis  how long a call waits for a free slot before failing with {@code OVERLOADED}
     */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis) {
        if (maxBatch < 1 || maxConcurrent < 1 || queueTimeoutMillis < 0) {
            throw ArgusException.configuration("maxBatch and maxConcurrent must be >= 1 and the queue timeout >= 0");
        }
        this.backend = backend;
        this.model = model;
        this.preprocessor = preprocessor;
        this.engine = engine;
        this.maxBatch = Math.min(maxBatch, engine.maxBatchSize());
        this.inFlight = new Semaphore(maxConcurrent, true);
        this.queueTimeoutMillis = queueTimeoutMillis;
    }

    @Override
    public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
        if (closed.get()) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed.");
        }
        List<ClassificationOutcome> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += maxBatch) {
            out.addAll(classifyChunk(images.subList(start, Math.min(images.size(), start + maxBatch)), options));
        }
        return out;
    }

    private List<ClassificationOutcome> classifyChunk(List<byte[]> images, ClassifyOptions options) {
        PreprocessSpec spec = model.preprocess();
        int per = spec.valuesPerImage();
        float[] batch = new float[images.size() * per];
        ClassificationOutcome[] outcomes = new ClassificationOutcome[images.size()];
        long[] decodeNanos = new long[images.size()];
        int[] slotOf = new int[images.size()];
        int good = 0;
        for (int i = 0; i < images.size(); i++) {
            long t0 = System.nanoTime();
            try {
                preprocessor.preprocess(images.get(i), spec, batch, good * per);
                slotOf[i] = good++;
            } catch (ArgusException e) {
                outcomes[i] = ClassificationOutcome.Failure.of(e);
                slotOf[i] = -1;
            }
            decodeNanos[i] = System.nanoTime() - t0;
        }
        if (good == 0) {
            return Arrays.asList(outcomes);
        }
        float[] input = good == images.size() ? batch : Arrays.copyOf(batch, good * per);
        long t1 = System.nanoTime();
        FloatTensor logits = runEngine(new FloatTensor(spec.batchShape(good), input));
        long inferencePerImage = (System.nanoTime() - t1) / good;
        if (logits.batchSize() != good) {
            throw ArgusException.inferenceFailed("the engine returned " + logits.batchSize() + " results for " + good + " images", null);
        }
        int classes = logits.rowLength();
        for (int i = 0; i < images.size(); i++) {
            if (slotOf[i] < 0) {
                continue;
            }
            long t2 = System.nanoTime();
            var classes0 = TopK.classify(logits.data(), slotOf[i] * classes, classes, options.topK(), model.labels(), options.labelStyle());
            long post = System.nanoTime() - t2;
            outcomes[i] = new ClassificationOutcome.Success(new ClassificationResult(classes0, backend, model.name(),
                    new Timings(decodeNanos[i], inferencePerImage, post)));
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Runs pre-made tensors through the engine, under the same worker limit as images. The shape must be the model's
     * input shape with any batch size; large batches are split at the engine's maximum.
     */
    @Override
    public FloatTensor infer(FloatTensor input) {
        if (closed.get()) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed.");
        }
        long[] expected = model.preprocess().batchShape(input.batchSize());
        if (input.shape().length != expected.length || input.batchSize() < 1
                || !Arrays.equals(Arrays.copyOfRange(input.shape(), 1, expected.length), Arrays.copyOfRange(expected, 1, expected.length))) {
            throw ArgusException.invalidInput("Tensor shape " + Arrays.toString(input.shape()) + " is not this model's input "
                    + Arrays.toString(expected).replaceFirst("\\[\\d+", "[N") + ".");
        }
        int per = input.rowLength();
        int n = input.batchSize();
        float[] logits = null;
        int classes = 0;
        for (int start = 0; start < n; start += maxBatch) {
            int count = Math.min(maxBatch, n - start);
            float[] chunk = count == n ? input.data() : Arrays.copyOfRange(input.data(), start * per, (start + count) * per);
            FloatTensor out = runEngine(new FloatTensor(model.preprocess().batchShape(count), chunk));
            if (logits == null) {
                classes = out.rowLength();
                logits = new float[n * classes];
            }
            System.arraycopy(out.data(), 0, logits, start * classes, count * classes);
        }
        return new FloatTensor(new long[] {n, classes}, logits);
    }

    private FloatTensor runEngine(FloatTensor input) {
        boolean acquired;
        try {
            acquired = inFlight.tryAcquire(queueTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for a free inference slot.");
        }
        if (!acquired) {
            throw new ArgusException(ErrorCode.OVERLOADED, "All inference slots are busy (waited " + queueTimeoutMillis
                    + " ms); try again later.");
        }
        try {
            return engine.infer(input);
        } finally {
            inFlight.release();
        }
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(backend, model.name(), engine.describe(), Optional.of(model.preprocess()), model.labels().size());
    }

    /** The model this pipeline serves. */
    public ModelDescription model() {
        return model;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.close();
        }
    }
}
