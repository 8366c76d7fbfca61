package dev.argus.domain;

import java.util.Objects;

/**
 * Everything the pipeline needs to know about a model besides its weights: names of its input and output tensors,
 * its preprocessing and its labels. A model that is not Hugging Face's ResNet-50 is served by describing it here.
 *
 * @param name       a name for results and logs (e.g. {@code microsoft/resnet-50})
 * @param inputName  name of the image input tensor, or empty to take the model's only input
 * @param outputName name of the logits output tensor, or empty to take the model's first output
 * @param preprocess the preprocessing the model was trained with
 * @param labels     class names in class-index order
 */
public record ModelDescription(String name, String inputName, String outputName, PreprocessSpec preprocess, LabelSet labels) {
    public ModelDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(labels, "labels");
    }

    /** Hugging Face's {@code microsoft/resnet-50} as exported to ONNX: {@code pixel_values} in, {@code logits} out. */
    public static ModelDescription resnet50(String name) {
        return new ModelDescription(name, "pixel_values", "logits", PreprocessSpec.resnet50(), LabelSet.imagenet1k());
    }
}
