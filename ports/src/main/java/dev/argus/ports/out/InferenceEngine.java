package dev.argus.ports.out;

import dev.argus.ports.model.FloatTensor;
import java.util.Map;

/**
 * Tensor-level inference: a batch of preprocessed images in the model's layout in, a batch of logits out. Implemented
 * by ONNX Runtime, DJL (PyTorch, TensorFlow) and TensorRT. Implementations are thread-safe; how many calls may run at
 * once is the caller's business ({@code threads x concurrent calls = cores}).
 */
public interface InferenceEngine extends AutoCloseable {

    /**
     * Runs the model.
     *
     * @param input batch in the model's input layout, e.g. {@code [N,3,224,224]}; its array is reused by the caller once
     *              this returns, so an engine copies what it needs and keeps no reference to it
     * @return logits {@code [N, classes]}
     * @throws dev.argus.domain.ArgusException {@code INFERENCE_FAILED} when the engine fails
     */
    FloatTensor infer(FloatTensor input);

    /** A human-readable description: engine, version, device, threads. */
    String describe();

    /**
     * What the model file records about itself, as key/value text: an ONNX model's {@code metadata_props} (where
     * {@code argus quantize} writes {@code precision} and {@code quantization.*}), or the precision an engine builds
     * at (TensorRT). Empty when the engine or the file records nothing. Shown by the model metadata endpoints and
     * {@code argus config}; never used to decide how to run the model.
     */
    default Map<String, String> modelProperties() {
        return Map.of();
    }

    /** Largest batch one call accepts. */
    default int maxBatchSize() {
        return 64;
    }

    /** Releases native resources. Idempotent; calls after close fail with a clear error. */
    @Override
    void close();
}
