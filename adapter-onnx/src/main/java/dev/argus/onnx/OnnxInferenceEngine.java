package dev.argus.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.InferenceEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link InferenceEngine} on ONNX Runtime. One session per model, shared by all callers (ONNX Runtime sessions are
 * thread-safe); the number of concurrent calls is bounded by the caller.
 */
public final class OnnxInferenceEngine implements InferenceEngine {
    private static final System.Logger LOG = System.getLogger(OnnxInferenceEngine.class.getName());

    private final OnnxConfig config;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long[] inputShape;
    private final Map<String, String> modelProperties;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxInferenceEngine(OnnxConfig config, OrtEnvironment env, OrtSession.SessionOptions options,
                                OrtSession session, String inputName, String outputName, long[] inputShape,
                                Map<String, String> modelProperties) {
        this.config = config;
        this.env = env;
        this.options = options;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.inputShape = inputShape;
        this.modelProperties = modelProperties;
    }

    /** Loads {@code model}, its only input and first output; as {@link #open(Path, String, String, OnnxConfig)}. */
    public static OnnxInferenceEngine open(Path model, OnnxConfig config) {
        return open(model, "", "", config);
    }

    /**
     * Loads {@code model} (an {@code .onnx} file) with {@code config}'s settings. {@code inputName} and
     * {@code outputName} name the tensors to use; empty = the model's only input and first output. Fails with
     * {@code MODEL_UNAVAILABLE} when the file is missing or not an ONNX model, the named tensors do not exist, or CUDA
     * was asked for but cannot be used.
     */
    public static OnnxInferenceEngine open(Path model, String inputName, String outputName, OnnxConfig config) {
        if (!Files.isRegularFile(model)) {
            throw ArgusException.modelUnavailable("ONNX model file " + model + " does not exist.", null);
        }
        OrtEnvironment env = OnnxRuntimeEnvironment.get();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            configure(options, config);
            long t0 = System.nanoTime();
            session = env.createSession(model.toString(), options);
            String in = pick("input", inputName, session.getInputInfo());
            String out = pick("output", outputName, session.getOutputInfo());
            long[] shape = ((TensorInfo) session.getInputInfo().get(in).getInfo()).getShape();
            LOG.log(System.Logger.Level.INFO, "ONNX Runtime {0} loaded {1} in {2} ms: {3} {4} -> {5}, {6}",
                    env.getVersion(), model, (System.nanoTime() - t0) / 1_000_000, in, Arrays.toString(shape), out,
                    describe(config));
            Map<String, String> properties = shown(session.getMetadata().getCustomMetadata(), model);
            return new OnnxInferenceEngine(config, env, options, session, in, out, shape, properties);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            options.close();
            if (e instanceof ArgusException ae) {
                throw ae;
            }
            throw ArgusException.modelUnavailable("Cannot load ONNX model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Most metadata entries, and longest key and value, that the metadata endpoints show; the rest is logged as left
     * out.
     */
    static final int MAX_PROPERTIES = 64;
    static final int MAX_PROPERTY_CHARS = 1024;

    /**
     * The model's metadata as the metadata endpoints show it: sorted, so that every listing reads the same, and
     * bounded, as a model may carry anything there (a whole JSON document, thousands of entries) and every GetModel
     * would repeat it.
     */
    static Map<String, String> shown(Map<String, String> metadata, Object model) {
        Map<String, String> shown = new TreeMap<>();
        int leftOut = 0;
        // what argus quantize records comes first, so that no number of other entries can push it out
        List<Map.Entry<String, String>> entries = new ArrayList<>(new TreeMap<>(metadata).entrySet());
        entries.sort(Comparator.comparing(e -> !(e.getKey().equals(ModelInfo.PRECISION)
                || e.getKey().startsWith(ModelInfo.QUANTIZATION_PREFIX))));
        for (Map.Entry<String, String> e : entries) {
            if (shown.size() < MAX_PROPERTIES && e.getKey().length() <= MAX_PROPERTY_CHARS
                    && e.getValue().length() <= MAX_PROPERTY_CHARS) {
                shown.put(e.getKey(), e.getValue());
            } else {
                leftOut++;
            }
        }
        if (leftOut > 0) {
            LOG.log(System.Logger.Level.INFO, "{0}: {1} metadata entries not shown by the metadata endpoints (more "
                    + "than {2} entries, or a key or value over {3} characters)", model, leftOut, MAX_PROPERTIES,
                    MAX_PROPERTY_CHARS);
        }
        return Collections.unmodifiableMap(shown);
    }

    private static void configure(OrtSession.SessionOptions options, OnnxConfig config) throws OrtException {
        options.setOptimizationLevel(switch (config.optimization()) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        if (config.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(config.intraOpThreads());
        }
        options.setInterOpNumThreads(config.interOpThreads());
        options.setExecutionMode(config.interOpThreads() > 1
                ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
                : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        if (config.device() == OnnxConfig.Device.CUDA) {
            if (!OnnxRuntimeEnvironment.providers().contains(OrtProvider.CUDA)) {
                throw ArgusException.modelUnavailable("The CUDA execution provider is not available: this build "
                        + "carries the CPU-only ONNX Runtime (providers: " + OnnxRuntimeEnvironment.providers()
                        + "). Build with '-Pgpu' (onnxruntime_gpu) and run on a machine with an NVIDIA GPU, "
                        + "driver and CUDA 12, or set argus.onnx.device=cpu.", null);
            }
            try {
                options.addCUDA(config.cudaDeviceId());
            } catch (OrtException e) {
                throw ArgusException.modelUnavailable("Cannot use CUDA device " + config.cudaDeviceId() + ": "
                        + e.getMessage() + ". Check that an NVIDIA GPU, its driver and CUDA 12 + cuDNN 9 are present, "
                        + "or set argus.onnx.device=cpu.", e);
            }
        }
    }

    private static String pick(String what, String wanted, Map<String, NodeInfo> available) {
        if (wanted.isEmpty()) {
            if (available.isEmpty()) {
                throw ArgusException.modelUnavailable("The model has no " + what + " tensors.", null);
            }
            return available.keySet().iterator().next();
        }
        if (!available.containsKey(wanted)) {
            throw ArgusException.modelUnavailable("The model has no " + what + " named '" + wanted + "'; its "
                    + what + "s are " + available.keySet() + ". Fix the model description (argus.model." + what
                    + "-name).", null);
        }
        return wanted;
    }

    @Override
    public FloatTensor infer(FloatTensor input) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The ONNX Runtime engine has been closed.");
            }
            checkShape(input.shape());
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, direct(input.data()), input.shape());
                 OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor out)) {
                    throw ArgusException.inferenceFailed("output '" + outputName + "' is not a tensor", null);
                }
                long[] shape = out.getInfo().getShape();
                FloatBuffer buf = out.getFloatBuffer();
                float[] data = new float[buf.remaining()];
                buf.get(data);
                return new FloatTensor(shape, data);
            } catch (OrtException e) {
                throw ArgusException.inferenceFailed("ONNX Runtime failed: " + e.getMessage(), e);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Per calling thread (the scheduler's few engine workers; {@link OnnxModelRunner}'s callers too), a direct buffer
     * the input is copied into and handed to ONNX Runtime as it is. Given a heap buffer, ONNX Runtime allocates a
     * direct one on every call (4.8 MB for a batch of 8) that only a collection frees; under a gRPC flood on a
     * 256 MiB heap that ran the JVM's direct memory out and failed inferences. The tensor made from it is closed
     * before the thread's next call. Inputs over {@link #MAX_KEPT_FLOATS} are not kept.
     */
    private static final ThreadLocal<FloatBuffer> INPUT = new ThreadLocal<>();
    static final int MAX_KEPT_FLOATS = 16 << 20;

    static FloatBuffer direct(float[] data) {
        if (data.length > MAX_KEPT_FLOATS) {
            return FloatBuffer.wrap(data);
        }
        FloatBuffer b = INPUT.get();
        if (b == null || b.capacity() < data.length) {
            b = ByteBuffer.allocateDirect(data.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            INPUT.set(b);
        }
        b.clear();
        b.put(data);
        b.flip();
        return b;
    }

    private void checkShape(long[] shape) {
        boolean ok = shape.length == inputShape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = inputShape[i] < 0 || inputShape[i] == shape[i];
        }
        if (!ok) {
            throw ArgusException.invalidInput("input shape " + Arrays.toString(shape) + " does not match the model's "
                    + Arrays.toString(inputShape) + " (-1 = any)");
        }
    }

    /** The model's input shape, -1 for dynamic dimensions. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int maxBatchSize() {
        return inputShape.length > 0 && inputShape[0] > 0 ? (int) inputShape[0] : InferenceEngine.super.maxBatchSize();
    }

    /**
     * The model's {@code metadata_props}, e.g. {@code precision=int8} and {@code quantization.*} from
     * {@code argus quantize}.
     */
    @Override
    public Map<String, String> modelProperties() {
        return modelProperties;
    }

    @Override
    public String describe() {
        return "onnxruntime " + env.getVersion() + " " + describe(config);
    }

    private static String describe(OnnxConfig c) {
        return c.device() + (c.device() == OnnxConfig.Device.CUDA ? ":" + c.cudaDeviceId() : "")
                + ", intra-op threads " + (c.intraOpThreads() == 0 ? "default" : c.intraOpThreads())
                + ", inter-op " + c.interOpThreads() + ", optimisation " + c.optimization();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(session);
            options.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.WARNING, "closing ONNX session failed: " + e.getMessage());
            }
        }
    }
}
