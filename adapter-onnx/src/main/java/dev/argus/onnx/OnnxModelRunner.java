package dev.argus.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.argus.domain.ArgusException;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ONNX model held in memory, run on the CPU for any of its float outputs, including intermediate tensors a caller
 * made outputs: the engine behind offline work on models (calibrating and checking an int8 quantization), where
 * {@link OnnxInferenceEngine} serves one input and one output. Not thread-safe; close it to release the session.
 */
public final class OnnxModelRunner implements AutoCloseable {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private boolean closed;

    private OnnxModelRunner(OrtSession.SessionOptions options, OrtSession session) {
        this.options = options;
        this.session = session;
    }

    /**
     * A session for {@code model} with every graph optimisation (ONNX Runtime fuses QDQ node units into integer kernels
     * at this level).
     *
     * @param what    what the model is, for messages ("the float model", "the quantized model")
     * @param threads intra-op threads; 0 for ONNX Runtime's default (one per core)
     * @throws ArgusException MODEL_UNAVAILABLE when ONNX Runtime refuses the model, with its reason
     */
    public static OnnxModelRunner open(byte[] model, String what, int threads) {
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return new OnnxModelRunner(options, env.createSession(model, options));
        } catch (OrtException e) {
            options.close();
            throw ArgusException.modelUnavailable("ONNX Runtime cannot load " + what + ": " + e.getMessage(), e);
        }
    }

    /** The name of the model's first input. */
    public String inputName() {
        return session.getInputNames().iterator().next();
    }

    /** The model's output names, in order. */
    public List<String> outputNames() {
        return List.copyOf(session.getOutputNames());
    }

    /** The fixed dimensions of the first input after the batch ({@code -1} where symbolic), if it is a tensor. */
    public Optional<long[]> inputSampleShape() {
        try {
            if (session.getInputInfo().values().iterator().next().getInfo() instanceof ai.onnxruntime.TensorInfo t) {
                long[] s = t.getShape();
                return Optional.of(java.util.Arrays.copyOfRange(s, Math.min(1, s.length), s.length));
            }
            return Optional.empty();
        } catch (OrtException e) {
            throw ArgusException.modelUnavailable("Cannot read the model's input: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on {@code input} of {@code shape} (fed to the first input) and returns {@code outputs}, each
     * flattened, by name.
     *
     * @throws ArgusException INFERENCE_FAILED when ONNX Runtime fails, with its reason
     */
    public Map<String, float[]> run(float[] input, long[] shape, Set<String> outputs) {
        if (closed) {
            throw new IllegalStateException("the runner is closed");
        }
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, OnnxInferenceEngine.direct(input), shape);
             OrtSession.Result result = session.run(Map.of(inputName(), tensor), outputs)) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                if (!(e.getValue() instanceof OnnxTensor t) || t.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
                    throw ArgusException.inferenceFailed("Output '" + e.getKey() + "' is not a float tensor.", null);
                }
                FloatBuffer b = t.getFloatBuffer();
                float[] values = new float[b.remaining()];
                b.get(values);
                out.put(e.getKey(), values);
            }
            return out;
        } catch (OrtException e) {
            throw ArgusException.inferenceFailed("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            System.getLogger(OnnxModelRunner.class.getName()).log(System.Logger.Level.WARNING, "Closing a session: " + e.getMessage());
        } finally {
            options.close();
        }
    }
}
