package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.InputLimits;
import dev.argus.domain.Outcomes;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import java.util.List;
import java.util.Objects;

/**
 * Runs the use case: validates inputs against the limits (before any decoding), then hands the files to the
 * configured {@link ImageClassifier}, local or remote.
 */
public final class ClassificationService implements ClassifyImageUseCase {
    private final ImageClassifier classifier;
    private final InputLimits limits;

    public ClassificationService(ImageClassifier classifier, InputLimits limits) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
        Objects.requireNonNull(image, "image");
        byte[] bytes = image.toBytes(limits);
        return classifier.classify(List.of(bytes), options).get(0).orThrow();
    }

    @Override
    public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
        if (images.isEmpty()) {
            throw ArgusException.invalidInput("The batch is empty: send at least one image.");
        }
        return List.copyOf(Outcomes.classify(images, image -> image.toBytes(limits), valid -> classifier.classify(valid, options)));
    }

    @Override
    public ModelInfo model() {
        return classifier.info();
    }
}
