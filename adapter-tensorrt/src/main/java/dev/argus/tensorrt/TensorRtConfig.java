package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the TensorRT engine: the {@code argus.tensorrt.*} keys, and nothing else. Immutable, validated on
 * construction (the only place their ranges are checked). The model, and how many execution contexts serve it, are
 * not settings: they are given when the engine opens ({@link TensorRtInferenceEngine#open}).
 *
 * @param precision      FP32 (exact, TF32 off) or FP16 (TensorRT 11 builds strongly typed networks only, so the engine is
 *                       built from the model converted to float16 weights and tensors with float32 input and output;
 *                       a model that already uses float16 is taken as it is)
 * @param minBatch       smallest batch of the optimisation profile
 * @param optBatch       batch TensorRT tunes for
 * @param maxBatch       largest batch of the optimisation profile, and of one call
 * @param workspaceBytes limit of the builder's workspace memory pool
 * @param cacheDir       where serialised engines are kept between starts
 * @param deviceId       CUDA device index
 */
public record TensorRtConfig(Precision precision, int minBatch, int optBatch, int maxBatch, long workspaceBytes,
                             Path cacheDir, int deviceId) {

    public static final int DEFAULT_MIN_BATCH = 1;
    public static final int DEFAULT_OPT_BATCH = 8;
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final long DEFAULT_WORKSPACE_BYTES = 1L << 30;
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
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (minBatch < 1 || optBatch < minBatch || maxBatch < optBatch || maxBatch > BATCH_LIMIT) {
            throw ArgusException.configuration("TensorRT batch profile must satisfy 1 <= min <= opt <= max <= " + BATCH_LIMIT
                    + ", got min " + minBatch + ", opt " + optBatch + ", max " + maxBatch);
        }
        if (workspaceBytes < MIN_WORKSPACE_BYTES || workspaceBytes > MAX_WORKSPACE_BYTES) {
            throw ArgusException.configuration("TensorRT workspace must be 1 MiB to 1 TiB, got " + workspaceBytes + " bytes");
        }
        if (deviceId < 0 || deviceId > 64) {
            throw ArgusException.configuration("CUDA device id must be 0 to 64, got " + deviceId);
        }
    }

    /** FP32, profile 1/8/32, 1 GiB workspace, device 0, engines cached in {@link #defaultCacheDir()}. */
    public static TensorRtConfig defaults() {
        return new TensorRtConfig(Precision.FP32, DEFAULT_MIN_BATCH, DEFAULT_OPT_BATCH, DEFAULT_MAX_BATCH,
                DEFAULT_WORKSPACE_BYTES, defaultCacheDir(), 0);
    }

    /** {@code $XDG_CACHE_HOME/argus/tensorrt}, or {@code ~/.cache/argus/tensorrt}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("argus").resolve("tensorrt");
    }

    public TensorRtConfig withPrecision(Precision p) {
        return new TensorRtConfig(p, minBatch, optBatch, maxBatch, workspaceBytes, cacheDir, deviceId);
    }

    public TensorRtConfig withBatchProfile(int min, int opt, int max) {
        return new TensorRtConfig(precision, min, opt, max, workspaceBytes, cacheDir, deviceId);
    }

    public TensorRtConfig withCacheDir(Path dir) {
        return new TensorRtConfig(precision, minBatch, optBatch, maxBatch, workspaceBytes, dir, deviceId);
    }

    public TensorRtConfig withDevice(int id) {
        return new TensorRtConfig(precision, minBatch, optBatch, maxBatch, workspaceBytes, cacheDir, id);
    }

    public TensorRtConfig withWorkspace(long bytes) {
        return new TensorRtConfig(precision, minBatch, optBatch, maxBatch, bytes, cacheDir, deviceId);
    }
}
