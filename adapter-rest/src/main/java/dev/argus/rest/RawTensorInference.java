package dev.argus.rest;

/**
 * Tensor-level inference for the Open Inference Protocol's FP32 input: a batch the client preprocessed itself goes
 * straight to the model, logits come back. Optional: a server without it answers FP32 inputs with 400.
 */
@FunctionalInterface
public interface RawTensorInference {

    /**
     * Runs the model on a pre-made input tensor.
     *
     * @param data  the values, row-major, {@code shape} product long
     * @param shape the input shape, e.g. {@code [N, 3, 224, 224]}
     * @param deadline when the request must be answered ({@code TIMEOUT} after it)
     * @return the logits, {@code [N, classes]} row-major
     * @throws dev.argus.domain.ArgusException {@code INVALID_INPUT} for a shape the model does not take, or an engine
     *                                         error code
     */
    Logits infer(float[] data, long[] shape, dev.argus.domain.Deadline deadline);

    /** Logits and their shape. */
    record Logits(float[] data, long[] shape) {
    }
}
