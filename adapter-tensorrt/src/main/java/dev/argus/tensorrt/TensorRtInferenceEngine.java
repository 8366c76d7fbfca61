package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.cuda.global.cudart;

/**
 * {@link InferenceEngine} on TensorRT 11. At start: probe the driver and device (fails in well under a second, naming
 * the cause), then load the engine from the on-disk cache or build it from the ONNX model and cache it. Calls run on a
 * pool of {@link ExecutionWorker}s (one execution context and CUDA stream each); at most {@code workers} at once,
 * further callers wait for a free one.
 */
public final class TensorRtInferenceEngine implements InferenceEngine {
    private static final System.Logger LOG = System.getLogger(TensorRtInferenceEngine.class.getName());
    /** Most execution contexts one engine may have. */
    public static final int MAX_WORKERS = 64;

    private final TensorRtConfig config;
    private final DeviceInfo device;
    private final TrtEngine engine;
    private final List<ExecutionWorker> workers;
    private final BlockingQueue<ExecutionWorker> idle;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;
    /** Why the engine can no longer run (a sticky CUDA error), or null. */
    private volatile String broken;

    private TensorRtInferenceEngine(TensorRtConfig config, DeviceInfo device, TrtEngine engine, List<ExecutionWorker> workers) {
        this.config = config;
        this.device = device;
        this.engine = engine;
        this.workers = workers;
        this.idle = new ArrayBlockingQueue<>(workers.size(), false, workers);
    }

    /**
     * Why TensorRT cannot run on device {@code deviceId} here, in one phrase ({@code no NVIDIA driver}, {@code no CUDA
     * device}, {@code TensorRT library missing}...), or empty when it can. Quick and safe to call without a GPU: what
     * {@link #open} checks first, for callers (tests, tools) that decide before starting an engine.
     */
    public static java.util.Optional<String> unavailableReason(int deviceId) {
        return CudaProbe.availability(deviceId) instanceof CudaProbe.Unavailable u ? java.util.Optional.of(u.reason())
                : java.util.Optional.empty();
    }

    /**
     * Starts the engine for {@code model} (the {@code .onnx} file the engine is built from) with {@code config}'s
     * settings and {@code workers} execution contexts (each with its own CUDA stream and buffers: the calls that run at
     * once, 1 to {@value #MAX_WORKERS}). Fails with {@code MODEL_UNAVAILABLE} when the model is missing or unusable, or
     * when there is no NVIDIA driver, no CUDA device, or no TensorRT library; the message names which.
     */
    public static TensorRtInferenceEngine open(Path model, int workers, TensorRtConfig config) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw ArgusException.configuration("TensorRT workers (execution contexts) must be 1 to " + MAX_WORKERS + ", got "
                    + workers);
        }
        if (!Files.isRegularFile(model)) {
            throw ArgusException.modelUnavailable("ONNX model file " + model + " does not exist.", null);
        }
        DeviceInfo device = CudaProbe.require(config.deviceId());
        TrtEngine engine = null;
        List<ExecutionWorker> contexts = new ArrayList<>();
        try {
            Cuda.check(cudart.cudaSetDevice(config.deviceId()), "cudaSetDevice");
            engine = load(model, config, device);
            for (int i = 0; i < workers; i++) {
                contexts.add(new ExecutionWorker(engine.engine, engine.io, config.deviceId(), config.minBatch(), config.maxBatch(), i));
            }
            LOG.log(System.Logger.Level.INFO, "TensorRT engine ready on {0}: {1} {2} -> {3} {4}, {5}", device,
                    engine.io.inputName(), Arrays.toString(engine.io.sampleShape()), engine.io.outputName(),
                    Arrays.toString(engine.io.outputSampleShape()), describe(config, workers));
            return new TensorRtInferenceEngine(config, device, engine, contexts);
        } catch (RuntimeException | LinkageError e) {
            for (int i = contexts.size() - 1; i >= 0; i--) {
                contexts.get(i).close();
            }
            if (engine != null) {
                engine.close();
            }
            if (e instanceof ArgusException ae) {
                throw ae;
            }
            throw ArgusException.modelUnavailable("Cannot start TensorRT on " + device + ": " + e.getMessage(), e);
        }
    }

    /** From the cache when a verified entry deserialises; otherwise built, cached, and deserialised. */
    private static TrtEngine load(Path model, TensorRtConfig config, DeviceInfo device) {
        TrtLogger logger = TrtLogger.shared();
        EngineCache cache = new EngineCache(config.cacheDir());
        EngineCacheKey key = EngineCacheKey.of(model, config, device);
        long t0 = System.nanoTime();
        String[] refusal = new String[1];
        if (cache.load(key) instanceof EngineCache.Hit hit) {
            TrtEngine e;
            try {
                e = TrtEngine.deserialize(logger, hit.engine(), config.minBatch(), config.maxBatch(), refusal);
            } catch (TrtEngine.Unusable unusable) {
                // Loads, but Argus cannot serve it (the model's checks): rebuilding would give the same; drop the entry.
                cache.invalidate(key, "unusable: " + unusable.getMessage());
                throw unusable.reason();
            }
            if (e != null) {
                LOG.log(System.Logger.Level.INFO, "TensorRT engine {0} loaded from cache in {1} ms", cache.pathOf(key),
                        (System.nanoTime() - t0) / 1_000_000);
                return e;
            }
            cache.invalidate(key, "refused by TensorRT (" + refusal[0] + ")");
        }
        byte[] plan = EngineBuilder.build(model, config, logger);
        TrtEngine e;
        try {
            e = TrtEngine.deserialize(logger, plan, config.minBatch(), config.maxBatch(), refusal);
        } catch (TrtEngine.Unusable unusable) {
            throw unusable.reason();
        }
        if (e == null) {
            throw ArgusException.modelUnavailable("TensorRT cannot load the engine it just built: " + refusal[0], null);
        }
        cache.store(key, plan); // only an engine that loaded and passed the checks is cached
        return e;
    }

    @Override
    public FloatTensor infer(FloatTensor input) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The TensorRT engine has been closed.");
            }
            failIfBroken();
            checkShape(input.shape());
            int n = input.batchSize();
            ExecutionWorker worker = take();
            long mark = engine.logger.mark();
            try {
                failIfBroken();
                float[] out = worker.run(input.data(), n);
                long[] shape = new long[engine.io.outputSampleShape().length + 1];
                shape[0] = n;
                System.arraycopy(engine.io.outputSampleShape(), 0, shape, 1, shape.length - 1);
                return new FloatTensor(shape, out);
            } catch (ExecutionWorker.ContextFailure e) {
                broken = e.getMessage() + "; " + engine.logger.errorsSince(mark);
                LOG.log(System.Logger.Level.ERROR, "TensorRT engine unusable from now on: " + broken, e);
                throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "TensorRT failed and its CUDA context cannot run again ("
                        + broken + "). Restart Argus.", e);
            } catch (ArgusException e) {
                throw e;
            } catch (RuntimeException e) {
                throw ArgusException.inferenceFailed("TensorRT failed: " + e.getMessage() + "; " + engine.logger.errorsSince(mark), e);
            } finally {
                idle.add(worker);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** After a CUDA context failure every call fails at once, saying why, instead of queueing on a dead device. */
    private void failIfBroken() {
        String why = broken;
        if (why != null) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The TensorRT engine failed earlier and cannot run again ("
                    + why + "). Restart Argus.");
        }
    }

    private ExecutionWorker take() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.inferenceFailed("interrupted while waiting for a TensorRT worker", e);
        }
    }

    private void checkShape(long[] shape) {
        long[] sample = engine.io.sampleShape();
        boolean ok = shape.length == sample.length + 1;
        for (int i = 0; ok && i < sample.length; i++) {
            ok = shape[i + 1] == sample[i];
        }
        if (!ok) {
            throw ArgusException.invalidInput("input shape " + Arrays.toString(shape) + " does not match the engine's [N, "
                    + Arrays.toString(sample).replaceAll("[\\[\\]]", "") + "]");
        }
        if (shape[0] < 1 || shape[0] > config.maxBatch()) {
            throw ArgusException.invalidInput("batch of " + shape[0] + " outside 1.." + config.maxBatch()
                    + " (argus.tensorrt.max-batch; the engine's profile)");
        }
    }

    @Override
    public int maxBatchSize() {
        return config.maxBatch();
    }

    /** The precision the engine was built at ({@code fp32} or {@code fp16}). */
    @Override
    public java.util.Map<String, String> modelProperties() {
        return java.util.Map.of(dev.argus.ports.model.ModelInfo.PRECISION, config.precision().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String describe() {
        return "tensorrt " + device.tensorRtVersion() + " on " + device + ", " + describe(config, workers.size());
    }

    private static String describe(TensorRtConfig c, int workers) {
        return c.precision() + ", batch profile " + c.minBatch() + "/" + c.optBatch() + "/" + c.maxBatch() + ", "
                + workers + " workers, device " + c.deviceId();
    }

    /** Waits for running calls, then releases workers (reverse order), the engine and the runtime. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cudart.cudaSetDevice(config.deviceId());
            for (int i = workers.size() - 1; i >= 0; i--) {
                workers.get(i).close();
            }
            engine.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
