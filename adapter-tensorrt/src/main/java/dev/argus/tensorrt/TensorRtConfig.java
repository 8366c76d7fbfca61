package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the TensorRT engine. Immutable, validated on construction.
 *
 * @param model          the {@code .onnx} file the engine is built from
 * @param precision      FP32 (exact, TF32 off) or FP16 (TensorRT 11 builds strongly typed networks only, so the engine is
 *                       built from the model converted to float16 weights and tensors with float32 input and output;
 *                       a model that already uses float16 is taken as it is)
 * @param minBatch       smallest batch of the optimisation profile
 * @param optBatch       batch TensorRT tunes for
 * @param maxBatch       largest batch of the optimisation profile, and of one call
 * @param workspaceBytes limit of the builder's workspace memory pool
 * @param cacheDir       where serialised engines are kept between starts
 * @param deviceId       CUDA device index
 * @param workers        execution contexts (each with its own CUDA stream and buffers) = concurrent calls
 */
public record TensorRtConfig(Path model, Precision precision, int minBatch, int optBatch, int maxBatch,
                             long workspaceBytes, Path cacheDir, int deviceId, int workers) {

    public static final int DEFAULT_MIN_BATCH = 1;
    public static final int DEFAULT_OPT_BATCH = 8;
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final long DEFAULT_WORKSPACE_BYTES = 1L << 30;
    public static final int DEFAULT_WORKERS = 2;
    /** Largest batch a profile may declare. */
    public static final int BATCH_LIMIT = 1024;
    static final long MIN_WORKSPACE_BYTES = 1L << 20;
    static final long MAX_WORKSPACE_BYTES = 1L << 40;

    /** Numeric precision of the built engine. */
    public enum Precision {
        FP32, FP16;

        public static Precision parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ArgusException.configuration("Unknown TensorRT precision '" + s + "': use fp32 or fp16.");
            }
        }
    }

    public TensorRtConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (minBatch < 1 || optBatch < minBatch || maxBatch < optBatch || maxBatch > BATCH_LIMIT) {
            throw ArgusException.configuration("TensorRT batch profile must satisfy 1 <= min <= opt <= max <= " + BATCH_LIMIT
                    + ", got min " + minBatch + ", opt " + optBatch + ", max " + maxBatch);
        }
        if (workspaceBytes < MIN_WORKSPACE_BYTES || workspaceBytes > MAX_WORKSPACE_BYTES) {
            throw ArgusException.configuration("TensorRT workspace must be 1 MiB to 1 TiB, got " + workspaceBytes + " bytes");
        }
        if (deviceId < 0) {
            throw ArgusException.configuration("CUDA device id must be >= 0, got " + deviceId);
        }
        if (workers < 1 || workers > 64) {
            throw ArgusException.configuration("TensorRT workers must be 1 to 64, got " + workers);
        }
    }

    /** FP32, profile 1/8/32, 1 GiB workspace, device 0, two workers, engines cached in {@link #defaultCacheDir()}. */
    public static TensorRtConfig defaults(Path model) {
        return new TensorRtConfig(model, Precision.FP32, DEFAULT_MIN_BATCH, DEFAULT_OPT_BATCH, DEFAULT_MAX_BATCH,
                DEFAULT_WORKSPACE_BYTES, defaultCacheDir(), 0, DEFAULT_WORKERS);
    }

    /** {@code $XDG_CACHE_HOME/argus/tensorrt}, or {@code ~/.cache/argus/tensorrt}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("argus").resolve("tensorrt");
    }

    public TensorRtConfig withPrecision(Precision p) {
        return new TensorRtConfig(model, p, minBatch, optBatch, maxBatch, workspaceBytes, cacheDir, deviceId, workers);
    }

    public TensorRtConfig withBatchProfile(int min, int opt, int max) {
        return new TensorRtConfig(model, precision, min, opt, max, workspaceBytes, cacheDir, deviceId, workers);
    }

    public TensorRtConfig withCacheDir(Path dir) {
        return new TensorRtConfig(model, precision, minBatch, optBatch, maxBatch, workspaceBytes, dir, deviceId, workers);
    }

    public TensorRtConfig withDevice(int id) {
        return new TensorRtConfig(model, precision, minBatch, optBatch, maxBatch, workspaceBytes, cacheDir, id, workers);
    }

    public TensorRtConfig withWorkers(int n) {
        return new TensorRtConfig(model, precision, minBatch, optBatch, maxBatch, workspaceBytes, cacheDir, deviceId, n);
    }

    public TensorRtConfig withWorkspace(long bytes) {
        return new TensorRtConfig(model, precision, minBatch, optBatch, maxBatch, bytes, cacheDir, deviceId, workers);
    }
}
