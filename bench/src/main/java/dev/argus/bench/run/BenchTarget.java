package dev.argus.bench.run;

import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import java.util.Optional;

/**
 * A started backend, as the composition root builds it: the image-level classifier (the whole pipeline, or a remote
 * client) and, for engines that run here, the engine and the preprocessing in front of it.
 */
public interface BenchTarget extends AutoCloseable {

    ImageClassifier classifier();

    /** The engine under the pipeline; empty for remote backends. */
    Optional<InferenceEngine> engine();

    /** The preprocessing the pipeline applies; empty for remote backends. */
    Optional<Preprocessing> preprocessing();

    /** How the engine is sized (workers x threads, max-batch, CPU budget, and where that came from), for reports. */
    default Optional<String> sizing() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Decoder + resize + normalise, and the model's input spec. */
    record Preprocessing(ImagePreprocessor preprocessor, PreprocessSpec spec) {
    }

    /** Starts a backend; throws {@link dev.argus.domain.ArgusException} when it cannot run here, saying why. */
    @FunctionalInterface
    interface Factory {
        BenchTarget open(BackendSpec spec);
    }
}
