package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.model.ModelInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A model version that can be taken out of service without dropping a request: it counts the calls in progress, and
 * once {@linkplain #retire retired} it waits for them ({@link #drain}) while calls that arrive late (from a request
 * that resolved the model just before it was replaced) go to its successor, or fail with {@code MODEL_UNAVAILABLE} when
 * it has none (unloaded).
 */
public final class DrainableModel implements ClassifyImageUseCase, InferTensorUseCase {
    private final String description;
    private final ClassifyImageUseCase useCase;
    private final InferTensorUseCase tensors;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;
    private volatile Supplier<Optional<ServedModel>> successor = Optional::empty;

    /**
     * @param description the model and version, for messages
     * @param tensors     tensor-level inference, or null when the model has none
     */
    public DrainableModel(String description, ClassifyImageUseCase useCase, InferTensorUseCase tensors) {
        this.description = description;
        this.useCase = useCase;
        this.tensors = tensors;
    }

    /** This model's tensor-level inference (through the count), when the model has one. */
    public Optional<InferTensorUseCase> tensors() {
        return tensors == null ? Optional.empty() : Optional.of(this);
    }

    /**
     * Takes the model out of service: from now on calls go to {@code successor}'s model (the version that replaces this
     * one), or fail when it gives none.
     */
    public void retire(Supplier<Optional<ServedModel>> successor) {
        this.successor = successor;
        this.retired = true;
    }

    /** Waits until no call is in progress, at most {@code max}; returns whether none is. */
    public boolean drain(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public int inFlight() {
        return inFlight.get();
    }

    private <T> T call(Function<ServedModel, T> elsewhere, Supplier<T> here) {
        inFlight.incrementAndGet();
        if (retired) {
            inFlight.decrementAndGet();
            ServedModel next = successor.get().orElseThrow(() -> new ArgusException(ErrorCode.MODEL_UNAVAILABLE,
                    "The model " + description + " was unloaded while the request was arriving."));
            return elsewhere.apply(next);
        }
        try {
            return here.get();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
        return call(m -> m.useCase().classify(image, options), () -> useCase.classify(image, options));
    }

    @Override
    public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
        return call(m -> m.useCase().classifyBatch(images, options), () -> useCase.classifyBatch(images, options));
    }

    @Override
    public FloatTensor infer(FloatTensor input, Deadline deadline) {
        if (tensors == null) {
            throw ArgusException.invalidInput("The model " + description + " takes encoded images only.");
        }
        return call(m -> m.tensors().orElseThrow(() -> ArgusException.invalidInput("The model " + m.describe()
                + " takes encoded images only.")).infer(input, deadline), () -> tensors.infer(input, deadline));
    }

    @Override
    public ModelInfo model() {
        return useCase.model();
    }
}
