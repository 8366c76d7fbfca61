package dev.argus.rest;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.InputLimits;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Timings;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.model.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A use case that answers from the image's bytes: {@code BAD...} is invalid input, {@code BLOCK...} waits for
 * {@link #release} until the request's deadline (as every use case must honour it), {@code BOOM...} throws an unexpected exception, {@code UNAVAILABLE...} is a model failure; anything
 * else gets classes 7, 8, 9, ... with scores 0.5, 0.25, ... and labels from {@link #LABELS}. Size limits are the
 * domain's (10 MiB).
 */
final class FakeUseCase implements ClassifyImageUseCase {
    static final String MODEL = "test/fake-net";
    static final String[] LABELS = {"Persian cat", "Pekinese, Pekingese, Peke", "feather boa, boa", "Pomeranian",
            "Japanese spaniel", "tabby, tabby cat", "tiger cat", "Egyptian cat"};

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch blocked = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    volatile ClassifyOptions lastOptions;
    volatile byte[] lastBytes;
    volatile int lastBatchSize;

    @Override
    public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
        calls.incrementAndGet();
        byte[] bytes = image.toBytes(InputLimits.defaults());
        lastOptions = options;
        lastBytes = bytes;
        String head = new String(bytes, 0, Math.min(bytes.length, 16), StandardCharsets.ISO_8859_1);
        if (head.startsWith("BAD")) {
            throw ArgusException.invalidInput("The image cannot be decoded: not a JPEG, PNG, GIF, BMP or WebP file.");
        }
        if (head.startsWith("UNAVAILABLE")) {
            throw ArgusException.modelUnavailable("The model is not loaded.", null);
        }
        if (head.startsWith("BOOM")) {
            throw new IllegalStateException("bug in a backend");
        }
        if (head.startsWith("BLOCK")) {
            blocked.countDown();
            try {
                long wait = Math.min(TimeUnit.SECONDS.toNanos(30), options.deadline().remainingNanos());
                if (!release.await(wait, TimeUnit.NANOSECONDS)) {
                    throw options.deadline().passed() ? options.deadline().expired()
                            : new ArgusException(ErrorCode.TIMEOUT, "fake never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArgusException(ErrorCode.TIMEOUT, "interrupted");
            }
        }
        List<Classification> classes = new ArrayList<>();
        double score = 0.5;
        for (int i = 0; i < options.topK(); i++) {
            classes.add(new Classification(options.labelStyle().apply(LABELS[i % LABELS.length]), score, 7 + i));
            score /= 2;
        }
        return new ClassificationResult(classes, "fake", MODEL, new Timings(1_000_000, 2_000_000, 500_000));
    }

    @Override
    public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
        lastBatchSize = images.size();
        List<ClassificationOutcome> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(new ClassificationOutcome.Success(classify(image, options)));
            } catch (ArgusException e) {
                out.add(ClassificationOutcome.Failure.of(e));
            }
        }
        return out;
    }

    @Override
    public ModelInfo model() {
        return new ModelInfo("fake", MODEL, "fake engine 1.0", Optional.of(PreprocessSpec.resnet50()), 1000);
    }
}
