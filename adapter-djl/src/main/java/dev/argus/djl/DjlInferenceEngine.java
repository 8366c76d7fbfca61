package dev.argus.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.TensorLayout;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link InferenceEngine} on DJL: PyTorch (TorchScript) or TensorFlow (SavedModel, {@code serving_default}). One model
 * per engine, shared by all callers; each call runs in its own {@link NDManager}, closed before the call returns, so
 * nothing native outlives a call. The model is checked at start by one dry run, so a wrong file, layout or tensor
 * name fails at start, not at the first request.
 */
public final class DjlInferenceEngine implements InferenceEngine {
    private static final System.Logger LOG = System.getLogger(DjlInferenceEngine.class.getName());

    private final DjlModel spec;
    private final DjlConfig config;
    private final Engine engine;
    private final Model model;
    private final ModelSignature signature;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private DjlInferenceEngine(DjlModel spec, DjlConfig config, Engine engine, Model model, ModelSignature signature) {
        this.spec = spec;
        this.config = config;
        this.engine = engine;
        this.model = model;
        this.signature = signature;
    }

    /**
     * Starts the engine (once per process) and loads {@code model} with {@code config}'s settings. Fails with
     * {@code MODEL_UNAVAILABLE} when the model is missing or not of the engine's format, the native libraries cannot be loaded, the named tensors do not
     * exist, the layout does not fit the model, a GPU was asked for but cannot be used, or TensorFlow would answer
     * wrong on this CPU as the process environment sets it up ({@link TensorflowCpuGuard}).
     */
    public static DjlInferenceEngine open(DjlModel model, DjlConfig config) {
        return open(model, config, TensorflowCpuGuard::forThisProcess);
    }

    /**
     * {@link #open(DjlModel, DjlConfig)} deciding on TensorFlow's oneDNN workaround for the CPU and environment {@code guard}
     * describes (asked for TensorFlow only).
     */
    static DjlInferenceEngine open(DjlModel spec, DjlConfig config, java.util.function.Supplier<TensorflowCpuGuard> guard) {
        checkModelPath(spec);
        Engine engine = DjlEnvironment.engine(spec.engine(), config, guard);
        Device device = device(spec.engine(), config, engine);
        long t0 = System.nanoTime();
        Model model = Model.newInstance(spec.path().getFileName().toString(), device, engine.getEngineName());
        try {
            model.load(spec.path(), null, ModelOptions.of(spec.engine(), config));
            ModelSignature signature = ModelSignature.probe(spec, model);
            LOG.log(System.Logger.Level.INFO, "DJL {0} {1} loaded {2} in {3} ms: {4}, {5}", engine.getEngineName(),
                    engine.getVersion(), spec.path(), (System.nanoTime() - t0) / 1_000_000, signature, describe(spec, config));
            return new DjlInferenceEngine(spec, config, engine, model, signature);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof ArgusException ae) {
                throw ae;
            }
            throw ArgusException.modelUnavailable("Cannot load " + spec.path() + " with DJL " + engine.getEngineName()
                    + " " + engine.getVersion() + ": " + DjlEnvironment.rootMessage(e) + ". " + formatHint(spec.engine()), e);
        }
    }

    private static void checkModelPath(DjlModel spec) {
        if (spec.engine() == DjlModel.Engine.PYTORCH) {
            if (!Files.isRegularFile(spec.path())) {
                throw ArgusException.modelUnavailable("TorchScript model file " + spec.path() + " does not exist"
                        + (Files.isDirectory(spec.path()) ? " (it is a directory: a SavedModel? use djl-tensorflow)" : "")
                        + ".", null);
            }
        } else if (!Files.isRegularFile(spec.path().resolve("saved_model.pb"))) {
            throw ArgusException.modelUnavailable("TensorFlow SavedModel directory " + spec.path() + " does not exist "
                    + "or holds no saved_model.pb" + (Files.isRegularFile(spec.path()) ? " (it is a file; a SavedModel is a "
                    + "directory)" : "") + ".", null);
        }
    }

    private static String formatHint(DjlModel.Engine kind) {
        return kind == DjlModel.Engine.PYTORCH
                ? "djl-pytorch needs a TorchScript file (torch.jit.trace or torch.jit.script, then torch.jit.save)."
                : "djl-tensorflow needs a TF2 SavedModel directory with a 'serving_default' signature.";
    }

    private static Device device(DjlModel.Engine kind, DjlConfig config, Engine engine) {
        if (config.device() == DjlConfig.Device.CPU) {
            return Device.cpu();
        }
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        int gpus = cuda ? engine.getGpuCount() : 0;
        if (gpus <= config.gpuId()) {
            String build = kind == DjlModel.Engine.PYTORCH
                    ? (cuda ? "Check the GPU index and the NVIDIA driver"
                            : "This libtorch is the CPU build: set argus.djl.natives-dir to libtorch " + DjlEnvironment.LIBTORCH_VERSION
                              + " for CUDA 12.8 (see adapter-djl/README.md, -Pgpu leaves the CPU one out) and run on a machine "
                              + "with an NVIDIA GPU and driver")
                    : "The bundled TensorFlow natives (tensorflow-core-native linux-x86_64) are CPU-only; use djl-pytorch "
                      + "or onnx for a GPU";
            throw ArgusException.modelUnavailable("argus.djl.device=gpu asks for GPU " + config.gpuId() + ", but DJL's "
                    + engine.getEngineName() + " " + engine.getVersion() + (cuda ? "" : " (no CUDA support)") + " sees " + gpus
                    + " GPU(s). " + build + ", or set argus.djl.device=cpu.", null);
        }
        return Device.gpu(config.gpuId());
    }

    @Override
    public FloatTensor infer(FloatTensor input) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The DJL " + engine.getEngineName() + " engine has been closed.");
            }
            signature.checkInput(input.shape());
            try (NDManager manager = model.getNDManager().newSubManager()) {
                return run(manager, input);
            } catch (ArgusException e) {
                throw e;
            } catch (RuntimeException e) { // the adapter boundary: DJL throws EngineException and plain runtime exceptions
                throw ArgusException.inferenceFailed("DJL " + engine.getEngineName() + " failed: " + DjlEnvironment.rootMessage(e), e);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private FloatTensor run(NDManager manager, FloatTensor input) {
        NDList out = forward(model, signature.inputName(), manager, input);
        out.attach(manager); // outputs belong to this call's manager, whatever the engine did
        NDArray logits = signature.selectOutput(out);
        return new FloatTensor(logits.getShape().getShape(), logits.toFloatArray());
    }

    /** One forward pass in {@code manager}; the caller closes it. */
    static NDList forward(Model model, String inputName, NDManager manager, FloatTensor input) {
        NDArray x = manager.create(InputBuffers.of(input.data()), new Shape(input.shape()), DataType.FLOAT32);
        if (!inputName.isEmpty()) {
            x.setName(inputName);
        }
        return model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
    }

    /** The model's expected input shape, -1 for the batch (dynamic) or any unknown dimension. */
    public long[] inputShape() {
        return signature.inputShape();
    }

    @Override
    public int maxBatchSize() {
        long b = signature.inputShape()[0];
        return b > 0 ? (int) b : InferenceEngine.super.maxBatchSize();
    }

    @Override
    public String describe() {
        return "djl " + Engine.getDjlVersion() + " " + engine.getEngineName().toLowerCase(java.util.Locale.ROOT) + " "
                + engine.getVersion() + " " + describe(spec, config);
    }

    private static String describe(DjlModel spec, DjlConfig c) {
        return c.device() + (c.device() == DjlConfig.Device.GPU ? ":" + c.gpuId() : "")
                + ", layout " + spec.layout()
                + ", intra-op threads " + (c.intraOpThreads() == 0 ? "default" : c.intraOpThreads())
                + ", inter-op " + c.interOpThreads();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            model.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    static long[] expectedItemShape(TensorLayout layout, int size) {
        return layout == TensorLayout.NCHW ? new long[] {3, size, size} : new long[] {size, size, 3};
    }

    static String shapeString(long[] s) {
        return Arrays.toString(s);
    }
}
