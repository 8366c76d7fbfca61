package dev.argus.ports.in;

import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.model.ModelInfo;
import java.util.List;

/** Classify images: what every inbound adapter (CLI, REST, gRPC) calls. */
public interface ClassifyImageUseCase {

    /**
     * Classifies one image.
     *
     * @throws dev.argus.domain.ArgusException with {@code INVALID_INPUT}/{@code INPUT_TOO_LARGE} for bad input, or a
     *                                         backend error code
     */
    ClassificationResult classify(ImageInput image, ClassifyOptions options);

    /**
     * Classifies several images, batched where the backend can. One outcome per image, in order; a bad image fails
     * alone.
     */
    List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options);

    /** What is being served. */
    ModelInfo model();
}
