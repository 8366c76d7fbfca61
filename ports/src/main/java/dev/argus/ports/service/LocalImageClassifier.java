package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ModelDescription;
import dev.argus.domain.Outcomes;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Timings;
import dev.argus.domain.TraceContext;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.ports.out.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local pipeline, the stages after admission: decode and preprocess each image on a pool sized to the CPUs (not
 * on the caller's thread: a hundred waiting requests decode two at a time on two cores, holding two decoded bitmaps,
 * not a hundred), then the engine through the {@link BatchScheduler}, which merges the images of concurrent requests
 * into batches and bounds the engine calls in flight; then softmax, top-k, labels. The request's
 * {@link Deadline} is checked at every stage: an image whose request has expired or was cancelled by the time a decode
 * thread turns to it is not decoded, and by the time an engine worker takes it is not inferred (its place goes back);
 * the caller gets {@code TIMEOUT} at the deadline, whatever the engine is doing.
 */
public final class LocalImageClassifier implements ImageClassifier, InferTensorUseCase {
    private final String backend;
    private final ModelDescription model;
    private final ImagePreprocessor preprocessor;
    private final InferenceEngine engine;
    /** What {@link #info()} answers, once built (the engine and the model do not change). */
    private volatile ModelInfo info;
    private final int maxBatch;
    /** Images queued at once by one call: a batch for every worker (half the queue, so other callers still get room). */
    private final int chunk;
    private final BatchScheduler scheduler;
    private final ExecutorService decoders;
    private final boolean ownDecoders;
    private final RowPool rows;
    private final long queueTimeoutMillis;
    private final Tracing tracing;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param backend             backend name for results ({@code onnx}, ...)
     * @param maxConcurrent       engine calls allowed at once
     * @param queueTimeoutMillis  how long a call waits for room in the queue before failing with {@code OVERLOADED}
     */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis) {
        this(backend, model, preprocessor, engine, maxBatch, maxConcurrent, queueTimeoutMillis, 0);
    }

    /**
     * @param maxQueueDelayNanos how long an engine worker holding a part batch waits for more images (0: runs what is
     *                           waiting; under load batches still grow, as images queue while the engine is busy)
     */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis,
                                long maxQueueDelayNanos) {
        this(backend, model, preprocessor, engine, maxBatch, maxConcurrent, queueTimeoutMillis, maxQueueDelayNanos,
                Runtime.getRuntime().availableProcessors());
    }

    /** @param decodeThreads images decoded and preprocessed at once (the CPUs, by default) */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis,
                                long maxQueueDelayNanos, int decodeThreads) {
        this(backend, model, preprocessor, engine, maxBatch, maxConcurrent, queueTimeoutMillis, maxQueueDelayNanos,
                decodeThreads, null);
    }

    /**
     * @param sharedDecoders where images are decoded when several models share the CPUs (one pool for all of them; not
     *                       shut down by {@link #close()}), or null for a pool of {@code decodeThreads} of this model's own
     */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis,
                                long maxQueueDelayNanos, int decodeThreads, ExecutorService sharedDecoders) {
        this(backend, model, preprocessor, engine, maxBatch, maxConcurrent, queueTimeoutMillis, maxQueueDelayNanos,
                decodeThreads, sharedDecoders, Tracing.OFF);
    }

    /**
     * @param tracing where the spans of traced requests go: each image's {@code decode}, {@code queue} and
     *                {@code inference}, children of the request's span
     */
    public LocalImageClassifier(String backend, ModelDescription model, ImagePreprocessor preprocessor,
                                InferenceEngine engine, int maxBatch, int maxConcurrent, long queueTimeoutMillis,
                                long maxQueueDelayNanos, int decodeThreads, ExecutorService sharedDecoders,
                                Tracing tracing) {
        if (maxBatch < 1 || maxConcurrent < 1 || queueTimeoutMillis < 0 || maxQueueDelayNanos < 0 || decodeThreads < 1) {
            throw ArgusException.configuration("maxBatch, maxConcurrent and the decode threads must be >= 1, the queue "
                    + "timeout and delay >= 0");
        }
        this.backend = backend;
        this.model = model;
        this.preprocessor = preprocessor;
        this.engine = engine;
        this.maxBatch = Math.min(maxBatch, engine.maxBatchSize());
        this.chunk = this.maxBatch * maxConcurrent;
        this.queueTimeoutMillis = queueTimeoutMillis;
        this.tracing = java.util.Objects.requireNonNull(tracing, "tracing");
        long[] batchShape = model.preprocess().batchShape(1);
        this.scheduler = new BatchScheduler(backend, engine::infer, Arrays.copyOfRange(batchShape, 1, batchShape.length),
                BatchScheduler.Settings.of(maxConcurrent, this.maxBatch, maxQueueDelayNanos));
        // rows to keep: enough for a steady pipeline (the engine queue, and the decode threads working ahead), at most
        // 32 (18 MiB for ResNet-50); beyond that, rows are allocated and left to the GC
        this.rows = new RowPool(model.preprocess().valuesPerImage(),
                Math.min(32, 2 * maxConcurrent * this.maxBatch + 2 * decodeThreads));
        AtomicInteger n = new AtomicInteger();
        // Unbounded in type only: each caller queues at most two chunks (the one it waits for and the next) and
        // callers are admitted (REST, gRPC) or few (CLI, Spark, bench).
        this.ownDecoders = sharedDecoders == null;
        this.decoders = sharedDecoders != null ? sharedDecoders : Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, backend + "-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Classifies the images in chunks of one batch per engine worker (workers x max-batch), each chunk queued at once,
     * so that even a single caller with many images (the CLI on a directory) keeps every worker busy.
     */
    @Override
    public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
        checkOpen();
        Deadline deadline = options.deadline();
        deadline.check();
        List<ClassificationOutcome> out = new ArrayList<>(images.size());
        List<Future<Row>> decoding = decode(images.subList(0, Math.min(images.size(), chunk)), deadline);
        for (int start = 0; start < images.size(); start += chunk) {
            List<Future<Row>> current = decoding;
            int next = start + chunk;
            // the next chunk decodes while this one is in the engine
            decoding = next < images.size() ? decode(images.subList(next, Math.min(images.size(), next + chunk)), deadline) : List.of();
            try {
                awaitDecoded(current, deadline);
                out.addAll(Outcomes.classify(current, LocalImageClassifier::decoded, decoded -> infer(decoded, options)));
            } catch (RuntimeException | Error e) {
                decoding.forEach(f -> f.cancel(false));
                throw e;
            }
        }
        return out;
    }

    /** Queues the images' decoding on the decode pool; an image whose request has given up by its turn is skipped. */
    private List<Future<Row>> decode(List<byte[]> images, Deadline deadline) {
        PreprocessSpec spec = model.preprocess();
        List<Future<Row>> out = new ArrayList<>(images.size());
        try {
            for (byte[] image : images) {
                out.add(decoders.submit(() -> {
                    deadline.check();
                    long t0 = System.nanoTime();
                    float[] row = rows.take();
                    try {
                        preprocessor.preprocess(image, spec, row, 0, deadline); // stops if the request gives up
                    } catch (RuntimeException | Error e) {
                        rows.give(row);
                        throw e;
                    }
                    return new Row(row, t0, System.nanoTime() - t0);
                }));
            }
        } catch (RejectedExecutionException e) {
            out.forEach(f -> f.cancel(false));
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed.");
        }
        return out;
    }

    /**
     * Waits until every image is decoded (or rejected); at the deadline, or if it passed while the images waited for a
     * decoder, the request fails as a whole with {@code TIMEOUT}.
     */
    private static void awaitDecoded(List<Future<Row>> rows, Deadline deadline) {
        try {
            for (Future<Row> f : rows) {
                long left = deadline.remainingNanos();
                try {
                    if (left == Long.MAX_VALUE) {
                        f.get();
                    } else {
                        f.get(left, TimeUnit.NANOSECONDS);
                    }
                } catch (ExecutionException e) {
                    // that image's own failure, read back in decoded(): it is rejected alone
                }
            }
        } catch (TimeoutException e) {
            rows.forEach(f -> f.cancel(false));
            throw deadline.expired();
        } catch (InterruptedException e) {
            rows.forEach(f -> f.cancel(false));
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for the decoder.");
        }
        if (deadline.passed()) {
            throw deadline.expired();
        }
    }

    /** A decoded image, or its own failure (which rejects that image alone). */
    private static Row decoded(Future<Row> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArgusException a) {
                throw a;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw ArgusException.inferenceFailed("decoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for the decoder.");
        }
    }

    /** One preprocessed image, when its decoding began and what decoding and preprocessing it cost. */
    private record Row(float[] values, long decodeStart, long decodeNanos) {
    }

    private List<ClassificationOutcome> infer(List<Row> decoded, ClassifyOptions options) {
        Deadline deadline = options.deadline();
        List<CompletableFuture<BatchScheduler.Result>> futures = null;
        List<BatchScheduler.Result> results;
        try {
            futures = scheduler.submit(decoded.stream().map(Row::values).toList(), deadline, queueTimeoutMillis);
            results = await(futures, deadline);
        } finally {
            giveBack(decoded, futures);
        }
        int classes = results.get(0).logits().length;
        if (tracing.recording(options.trace())) {
            recordSpans(options.trace(), decoded, results);
        }
        List<ClassificationOutcome> out = new ArrayList<>(decoded.size());
        for (int i = 0; i < decoded.size(); i++) {
            BatchScheduler.Result r = results.get(i);
            long t2 = System.nanoTime();
            List<dev.argus.domain.Classification> top;
            try {
                top = TopK.classify(r.logits(), 0, classes, options.topK(), model.labels(), options.labelStyle());
            } catch (ArgusException e) {
                out.add(ClassificationOutcome.Failure.of(e)); // this image's logits alone (a NaN from the engine)
                continue;
            }
            long post = System.nanoTime() - t2;
            out.add(new ClassificationOutcome.Success(new ClassificationResult(top, backend, model.name(),
                    new Timings(decoded.get(i).decodeNanos(), r.inferenceNanos() / r.batchSize(), post))));
        }
        return out;
    }

    /** Each image's stages as children of the request's span: decode (and preprocess), queue, inference. */
    private void recordSpans(TraceContext parent, List<Row> decoded, List<BatchScheduler.Result> results) {
        for (int i = 0; i < decoded.size(); i++) {
            Row row = decoded.get(i);
            BatchScheduler.Result r = results.get(i);
            java.util.Map<String, Object> image = java.util.Map.of("argus.image.index", (long) i);
            tracing.record(parent.child(), "decode", Span.Kind.INTERNAL, row.decodeStart(),
                    row.decodeStart() + row.decodeNanos(), image, false, "");
            tracing.record(parent.child(), "queue", Span.Kind.INTERNAL, r.queuedAt(), r.startedAt(), image, false, "");
            tracing.record(parent.child(), "inference", Span.Kind.INTERNAL, r.startedAt(), r.startedAt() + r.inferenceNanos(),
                    java.util.Map.of("argus.image.index", (long) i, "argus.batch.size", (long) r.batchSize(),
                            "argus.backend", backend, "argus.model", model.name()), false, "");
        }
    }

    /**
     * Gives the rows back to the pool that the engine stage is done with: all of them if they were never queued, else
     * those whose future a worker completed. A row whose future was cancelled may still be read by a worker; it is left
     * to the GC. (Rows of a request that failed before this point are left to the GC too.)
     */
    private void giveBack(List<Row> decoded, List<CompletableFuture<BatchScheduler.Result>> futures) {
        for (int i = 0; i < decoded.size(); i++) {
            if (futures == null || (futures.get(i).isDone() && !futures.get(i).isCancelled())) {
                rows.give(decoded.get(i).values());
            }
        }
    }

    /**
     * Runs pre-made tensors through the engine, through the same scheduler as images. The shape must be the model's
     * input shape with any batch size; each row is queued as one image.
     */
    @Override
    public FloatTensor infer(FloatTensor input, Deadline deadline) {
        checkOpen();
        deadline.check();
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
            List<float[]> rows = new ArrayList<>(count);
            for (int i = start; i < start + count; i++) {
                rows.add(Arrays.copyOfRange(input.data(), i * per, (i + 1) * per));
            }
            List<BatchScheduler.Result> out = await(scheduler.submit(rows, deadline, queueTimeoutMillis), deadline);
            if (logits == null) {
                classes = out.get(0).logits().length;
                logits = new float[n * classes];
            }
            for (int i = 0; i < count; i++) {
                System.arraycopy(out.get(i).logits(), 0, logits, (start + i) * classes, classes);
            }
        }
        return new FloatTensor(new long[] {n, classes}, logits);
    }

    /**
     * Waits for every image's result, until the deadline; the first failure is thrown (an engine call fails all of its
     * images alike). Given up, the futures are cancelled: a worker that takes them gives their places back.
     */
    private static List<BatchScheduler.Result> await(List<CompletableFuture<BatchScheduler.Result>> futures, Deadline deadline) {
        List<BatchScheduler.Result> out = new ArrayList<>(futures.size());
        try {
            for (CompletableFuture<BatchScheduler.Result> f : futures) {
                long left = deadline.remainingNanos();
                out.add(left == Long.MAX_VALUE ? f.get() : f.get(left, TimeUnit.NANOSECONDS));
            }
            return out;
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(false));
            throw deadline.expired();
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(false)); // a worker that takes them gives their places back
            Thread.currentThread().interrupt();
            throw new ArgusException(ErrorCode.TIMEOUT, "Interrupted while waiting for the engine.");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(false));
            if (e.getCause() instanceof ArgusException a) {
                throw a;
            }
            throw ArgusException.inferenceFailed(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** The engine stage: batch sizes run so far, queue depth. */
    public BatchScheduler scheduler() {
        return scheduler;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The classifier has been closed.");
        }
    }

    @Override
    public ModelInfo info() {
        ModelInfo i = info;
        if (i == null) { // built once: the inference routes ask for it on every request
            i = new ModelInfo(backend, model.name(), engine.describe(), Optional.of(model.preprocess()), model.labels().size(),
                    Optional.of(model.labels()), engine.modelProperties());
            info = i;
        }
        return i;
    }

    /** The model this pipeline serves. */
    public ModelDescription model() {
        return model;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (ownDecoders) {
                decoders.shutdown();
            }
            scheduler.close();
            engine.close();
        }
    }
}
