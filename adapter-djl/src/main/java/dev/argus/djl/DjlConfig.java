package dev.argus.djl;

import dev.argus.domain.ArgusException;
import dev.argus.domain.TensorLayout;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a DJL engine. Immutable, validated on construction.
 *
 * @param engine            which DJL engine runs the model
 * @param model             a TorchScript file ({@code .pt}) for PyTorch, a SavedModel directory for TensorFlow
 * @param inputName         input tensor name, or empty for the model's only input (TorchScript has no names)
 * @param outputName        output tensor name, or empty for the model's first output
 * @param layout            the model's input layout; the tensors handed to {@code infer} are in it
 * @param inputSize         model input width and height in pixels
 * @param intraOpThreads    threads inside one operator (0 = the engine's default, all cores)
 * @param interOpThreads    threads across operators
 * @param cacheDir          where DJL and JavaCPP unpack native libraries (Argus's data dir, never ~/.djl.ai)
 * @param device            CPU or GPU
 * @param gpuId             GPU index when {@code device} is GPU
 * @param nativesDir        the engine's native libraries, overriding the bundled ones. TensorFlow: the directory
 *                          holding {@code libjnitensorflow.so} and {@code libtensorflow_*.so.2}; empty = found
 *                          automatically (see {@link TensorflowNatives}). PyTorch: a libtorch 2.7.1 directory (e.g. the
 *                          CUDA 12.8 build, for {@code device=gpu}); empty = the CPU libtorch from the class path
 */
public record DjlConfig(Engine engine, Path model, String inputName, String outputName, TensorLayout layout,
                        int inputSize, int intraOpThreads, int interOpThreads, Path cacheDir, Device device, int gpuId,
                        Optional<Path> nativesDir) {

    /** The DJL engines Argus uses, with the backend name that selects each. */
    public enum Engine {
        PYTORCH("PyTorch", "djl-pytorch"), TENSORFLOW("TensorFlow", "djl-tensorflow");

        private final String djlName;
        private final String backend;

        Engine(String djlName, String backend) {
            this.djlName = djlName;
            this.backend = backend;
        }

        /** DJL's name of the engine ({@code Engine.getEngine(name)}). */
        public String djlName() {
            return djlName;
        }

        /** Argus's backend name ({@code argus.backend}). */
        public String backend() {
            return backend;
        }

        /** {@code pytorch}, {@code tensorflow}, or a backend name ({@code djl-pytorch}, {@code djl-tensorflow}). */
        public static Engine parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            for (Engine e : values()) {
                if (v.equals(e.name().toLowerCase(Locale.ROOT)) || v.equals(e.backend)) {
                    return e;
                }
            }
            throw ArgusException.configuration("Unknown DJL engine '" + s + "': use pytorch or tensorflow.");
        }
    }

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
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(nativesDir, "nativesDir");
        if (inputSize < 1 || inputSize > 8192) {
            throw ArgusException.configuration("djl input size must be 1 to 8192 pixels, got " + inputSize);
        }
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw ArgusException.configuration("djl intra-op threads must be 0 (default) to 1024, got " + intraOpThreads);
        }
        if (interOpThreads < 1 || interOpThreads > 1024) {
            throw ArgusException.configuration("djl inter-op threads must be 1 to 1024, got " + interOpThreads);
        }
        if (gpuId < 0) {
            throw ArgusException.configuration("djl GPU id must be >= 0, got " + gpuId);
        }
    }

    /**
     * CPU, NCHW 224x224, the engine's default intra-op threads, 1 inter-op thread, names taken from the model,
     * the bundled (PyTorch) or automatically found (TensorFlow) native libraries.
     */
    public static DjlConfig defaults(Engine engine, Path model, Path cacheDir) {
        return new DjlConfig(engine, model, "", "", TensorLayout.NCHW, 224, 0, 1, cacheDir, Device.CPU, 0, Optional.empty());
    }

    public DjlConfig withThreads(int intraOp, int interOp) {
        return new DjlConfig(engine, model, inputName, outputName, layout, inputSize, intraOp, interOp, cacheDir, device,
                gpuId, nativesDir);
    }

    public DjlConfig withNames(String input, String output) {
        return new DjlConfig(engine, model, input, output, layout, inputSize, intraOpThreads, interOpThreads, cacheDir,
                device, gpuId, nativesDir);
    }

    public DjlConfig withLayout(TensorLayout l, int size) {
        return new DjlConfig(engine, model, inputName, outputName, l, size, intraOpThreads, interOpThreads, cacheDir,
                device, gpuId, nativesDir);
    }

    public DjlConfig withDevice(Device d, int id) {
        return new DjlConfig(engine, model, inputName, outputName, layout, inputSize, intraOpThreads, interOpThreads,
                cacheDir, d, id, nativesDir);
    }

    public DjlConfig withNativesDir(Path dir) {
        return new DjlConfig(engine, model, inputName, outputName, layout, inputSize, intraOpThreads, interOpThreads,
                cacheDir, device, gpuId, Optional.ofNullable(dir));
    }

    public DjlConfig withModel(Path m) {
        return new DjlConfig(engine, m, inputName, outputName, layout, inputSize, intraOpThreads, interOpThreads,
                cacheDir, device, gpuId, nativesDir);
    }
}
