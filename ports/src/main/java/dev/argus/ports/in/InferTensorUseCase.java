package dev.argus.ports.in;

import dev.argus.ports.model.FloatTensor;

/**
 * Runs the model on tensors the caller preprocessed itself (the Open Inference Protocol's FP32 input), returning raw
 * logits. Offered only by backends that run a model locally.
 */
public interface InferTensorUseCase {

    /**
     * @param input a batch in the model's input layout, e.g. {@code [N,3,224,224]}
     * @return logits {@code [N, classes]}
     * @throws dev.argus.domain.ArgusException {@code INVALID_INPUT} when the shape is not the model's, {@code OVERLOADED}
     *                                         when every worker stays busy, {@code INFERENCE_FAILED} from the engine
     */
    default FloatTensor infer(FloatTensor input) {
        return infer(input, dev.argus.domain.Deadline.none());
    }

    /** As {@link #infer(FloatTensor)}, given up with {@code TIMEOUT} when {@code deadline} passes. */
    FloatTensor infer(FloatTensor input, dev.argus.domain.Deadline deadline);
}
