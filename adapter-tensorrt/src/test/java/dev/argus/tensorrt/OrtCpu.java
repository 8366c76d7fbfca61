package dev.argus.tensorrt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs an in-memory ONNX model once with ONNX Runtime on the CPU (tests only): one float32 input, the first output
 * as float32. ORT has few FLOAT16 CPU kernels; for the others it inserts casts to float32 around the node
 * (its InsertCastTransformer), so an FP16 model still runs, with FP16 weights and FP16 tensors between casts.
 */
final class OrtCpu {
    private OrtCpu() {
    }

    /** With all of ORT's graph optimisations, as Argus's onnx backend runs by default. */
    static float[] run(byte[] model, float[] input, long... shape) {
        return run(model, OrtSession.SessionOptions.OptLevel.ALL_OPT, input, shape);
    }

    static float[] run(byte[] model, OrtSession.SessionOptions.OptLevel level, float[] input, long... shape) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] values = new float[out.remaining()];
                out.get(values);
                return values;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
