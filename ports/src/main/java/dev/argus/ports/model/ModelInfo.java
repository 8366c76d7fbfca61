package dev.argus.ports.model;

import dev.argus.domain.LabelSet;
import dev.argus.domain.PreprocessSpec;
import java.util.Optional;

/**
 * What a classifier serves, for health and metadata endpoints.
 *
 * @param backend     backend name as configured ({@code onnx}, {@code djl-pytorch}, ...)
 * @param model       model name
 * @param engine      engine and version details for humans ({@code onnxruntime 1.29.0, CPU, 2 threads})
 * @param preprocess  the model's input spec, when the backend runs the model locally
 * @param labelCount  number of classes
 * @param labels      the class names, when the model runs here (for labelling raw logits)
 */
public record ModelInfo(String backend, String model, String engine, Optional<PreprocessSpec> preprocess, int labelCount,
                        Optional<LabelSet> labels) {

    /** A model whose class names are not known here (a remote backend). */
    public ModelInfo(String backend, String model, String engine, Optional<PreprocessSpec> preprocess, int labelCount) {
        this(backend, model, engine, preprocess, labelCount, Optional.empty());
    }
}
