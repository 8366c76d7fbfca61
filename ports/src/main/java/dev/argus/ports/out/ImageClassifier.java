package dev.argus.ports.out;

import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.ports.model.ModelInfo;
import java.util.List;

/**
 * Image-level classification: encoded image files in, classifications out. The local pipeline implements it on top
 * of an {@link InferenceEngine}; remote backends (Cloudflare, another Argus) implement it directly.
 */
public interface ImageClassifier extends AutoCloseable {

    /**
     * Classifies encoded image files (already checked against the byte limit). One outcome per image, in order: an
     * image that cannot be decoded fails alone.
     *
     * @throws dev.argus.domain.ArgusException when the backend as a whole fails (engine error, remote down, overload)
     */
    List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options);

    /** What this classifier serves. */
    ModelInfo info();

    /** Releases resources. Idempotent. */
    @Override
    void close();
}
