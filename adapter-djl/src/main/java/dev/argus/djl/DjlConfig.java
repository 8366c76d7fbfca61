package dev.argus.djl;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the DJL engines: the {@code argus.djl.*} keys, and nothing else. Immutable, validated on construction
 * (the only place their ranges are checked). The model (its file, engine, tensor names and input shape) is not a
 * setting: it is given when the engine opens ({@link DjlInferenceEngine#open(DjlModel, DjlConfig)}).
 *
 * @param intraOpThreads threads inside one operator (0 = the engine's default, all cores)
 * @param interOpThreads threads across operators
 * @param device         CPU or GPU
 * @param gpuId          GPU index when {@code device} is GPU
 * @param cacheDir       where DJL and JavaCPP unpack native libraries (Argus's data dir, never ~/.djl.ai)
 * @param nativesDir     the engine's native libraries, overriding the bundled ones. TensorFlow: the directory holding
 *                       {@code libjnitensorflow.so} and {@code libtensorflow_*.so.2}; empty = found automatically (see
 *                       {@link TensorflowNatives}). PyTorch: a libtorch 2.7.1 directory (e.g. the CUDA 12.8 build, for
 *                       {@code device=gpu}); empty = the CPU libtorch from the class path
 */
public record DjlConfig(int intraOpThreads, int interOpThreads, Device device, int gpuId, Path cacheDir,
                        Optional<Path> nativesDir) {

    /** Where the model runs. */
    public enum Device {
        CPU, GPU;

        public static Device parse(String s) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (v.equals("CUDA")) {
                return GPU;
            }
            try {
                return valueOf(v);
            } catch (IllegalArgumentException e) {
                throw ArgusException.configuration("Unknown DJL device '" + s + "': use cpu or gpu.");
            }
        }
    }

    public DjlConfig {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(nativesDir, "nativesDir");
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw ArgusException.configuration("DJL intra-op threads must be 0 (default) to 1024, got " + intraOpThreads);
        }
        if (interOpThreads < 1 || interOpThreads > 1024) {
            throw ArgusException.configuration("DJL inter-op threads must be 1 to 1024, got " + interOpThreads);
        }
        if (gpuId < 0 || gpuId > 64) {
            throw ArgusException.configuration("DJL GPU index must be 0 to 64, got " + gpuId);
        }
    }

    /**
     * CPU, the engine's default intra-op threads, 1 inter-op thread, the bundled (PyTorch) or automatically found
     * (TensorFlow) native libraries, natives unpacked under {@code cacheDir}.
     */
    public static DjlConfig defaults(Path cacheDir) {
        return new DjlConfig(0, 1, Device.CPU, 0, cacheDir, Optional.empty());
    }

    public DjlConfig withThreads(int intraOp, int interOp) {
        return new DjlConfig(intraOp, interOp, device, gpuId, cacheDir, nativesDir);
    }

    public DjlConfig withDevice(Device d, int id) {
        return new DjlConfig(intraOpThreads, interOpThreads, d, id, cacheDir, nativesDir);
    }

    public DjlConfig withCacheDir(Path dir) {
        return new DjlConfig(intraOpThreads, interOpThreads, device, gpuId, dir, nativesDir);
    }

    public DjlConfig withNativesDir(Path dir) {
        return new DjlConfig(intraOpThreads, interOpThreads, device, gpuId, cacheDir, Optional.ofNullable(dir));
    }
}
