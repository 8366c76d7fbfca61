package dev.argus.spark;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.Outcomes;
import dev.argus.ports.in.ClassifyImageUseCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Classifies one batch of a partition through the use case and turns every image into a {@link ResultRow}. A bad image
 * is an error row, never an exception. When the engine fails on a whole batch, the images are retried one by one so
 * that only the culprit becomes an error row. Failures of the backend itself (overloaded, timed out, remote down,
 * model unavailable) are thrown: the task fails and Spark retries it, rather than writing error rows for good images.
 */
final class BatchClassifier {
    private static final System.Logger LOG = System.getLogger(BatchClassifier.class.getName());

    private final ClassifyImageUseCase useCase;
    private final ClassifyOptions options;
    private final String backend;
    private final String model;

    /** An input row: where the image came from and its encoded bytes (null when the row has none). */
    record Image(String path, byte[] bytes) {
    }

    BatchClassifier(ClassifyImageUseCase useCase, ClassifyOptions options, String backend, String model) {
        this.useCase = Objects.requireNonNull(useCase, "useCase");
        this.options = Objects.requireNonNull(options, "options");
        this.backend = backend;
        this.model = model;
    }

    List<ResultRow> classify(List<Image> batch) {
        List<ClassificationOutcome> outcomes = Outcomes.classify(batch, image -> {
            if (image.bytes() == null) {
                throw ArgusException.invalidInput("The image column is null in this row: there are no bytes to classify.");
            }
            return ImageInput.of(image.bytes());
        }, inputs -> classifyAll(inputs, batch.get(0).path()));
        List<ResultRow> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            rows.add(row(batch.get(i).path(), outcomes.get(i)));
        }
        return rows;
    }

    private List<ClassificationOutcome> classifyAll(List<ImageInput> inputs, String firstPath) {
        try {
            return useCase.classifyBatch(inputs, options);
        } catch (ArgusException e) {
            if (!isAboutTheImages(e.code()) || inputs.size() == 1) {
                return List.of(failureOrThrow(e));
            }
            LOG.log(System.Logger.Level.WARNING, "A batch of " + inputs.size() + " images from the one at " + firstPath
                    + " failed (" + e.getMessage() + "); classifying them one by one");
            List<ClassificationOutcome> outcomes = new ArrayList<>(inputs.size());
            for (ImageInput in : inputs) {
                outcomes.add(alone(in));
            }
            return outcomes;
        }
    }

    private ClassificationOutcome alone(ImageInput in) {
        try {
            return useCase.classifyBatch(List.of(in), options).get(0);
        } catch (ArgusException e) {
            return failureOrThrow(e);
        }
    }

    /** The outcome of one image whose call failed with {@code e}: a failure when it is about the image. */
    private static ClassificationOutcome failureOrThrow(ArgusException e) {
        if (!isAboutTheImages(e.code())) {
            throw e;
        }
        return ClassificationOutcome.Failure.of(e);
    }

    /** Codes that one image can cause; the others are about the backend and fail the task. */
    static boolean isAboutTheImages(ErrorCode code) {
        return code == ErrorCode.INVALID_INPUT || code == ErrorCode.INPUT_TOO_LARGE || code == ErrorCode.INFERENCE_FAILED;
    }

    private ResultRow row(String path, ClassificationOutcome outcome) {
        if (outcome instanceof ClassificationOutcome.Success s) {
            return ResultRow.success(path, s.result());
        }
        ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcome;
        return ResultRow.failure(path, backend, model, f.code(), f.message());
    }
}
