package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.InputLimits;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Timings;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A use case that looks only at sizes: the top class is {@code size % 1000}, labelled {@code BYTES <size>}. It can
 * be told to fail, or to block until released, and counts how often it is reached.
 */
final class FakeUseCase implements ClassifyImageUseCase {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger modelCalls = new AtomicInteger();
    final AtomicInteger imagesSeen = new AtomicInteger();
    /** Thrown by every call while set. */
    volatile RuntimeException failure;
    /** Thrown only by the next call while set. */
    volatile RuntimeException failOnce;
    /** When set, calls wait for it (and count down {@link #entered} first). */
    volatile CountDownLatch gate;
    final AtomicInteger entered = new AtomicInteger();
    private final InputLimits limits = InputLimits.defaults();
    /** The options of the last call. */
    volatile ClassifyOptions lastOptions;

    @Override
    public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
        lastOptions = options;
        calls.incrementAndGet();
        enter();
        return answer(image, options);
    }

    @Override
    public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
        lastOptions = options;
        calls.incrementAndGet();
        enter();
        List<ClassificationOutcome> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(new ClassificationOutcome.Success(answer(image, options)));
            } catch (ArgusException e) {
                out.add(ClassificationOutcome.Failure.of(e));
            }
        }
        return out;
    }

    private void enter() {
        RuntimeException once = failOnce;
        if (once != null) {
            failOnce = null;
            throw once;
        }
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
        CountDownLatch g = gate;
        if (g != null) {
            entered.incrementAndGet();
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private ClassificationResult answer(ImageInput image, ClassifyOptions options) {
        imagesSeen.incrementAndGet();
        int size = image.toBytes(limits).length;
        List<Classification> classes = new ArrayList<>();
        classes.add(new Classification("BYTES " + size, 0.75, size % 1000));
        for (int i = 1; i < options.topK(); i++) {
            classes.add(new Classification(options.labelStyle().apply("Other " + i + ", synonym"), 0.25 / options.topK(),
                    (size + i) % 1000));
        }
        return new ClassificationResult(classes, "fake", "fake/model", new Timings(1, 2, 3));
    }

    @Override
    public ModelInfo model() {
        modelCalls.incrementAndGet();
        return new ModelInfo("fake", "fake/model", "fake engine 1.0", Optional.of(PreprocessSpec.resnet50()), 1000,
                Optional.empty(), java.util.Map.of("precision", "int8", "quantization.agreement.top1", "0.9950"));
    }
}
