package dev.argus.onnx;

import dev.argus.domain.ArgusException;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the ONNX Runtime engine: the {@code argus.onnx.*} keys, and nothing else. Immutable, validated on
 * construction (the only place their ranges are checked). The model is not a setting: it is given when the engine
 * opens ({@link OnnxInferenceEngine#open}).
 *
 * @param intraOpThreads threads inside one operator (0 = ONNX Runtime's default, all cores)
 * @param interOpThreads threads across operators (1 = sequential execution, best for CNNs)
 * @param optimization   graph optimisation level
 * @param device         CPU or CUDA
 * @param cudaDeviceId   GPU index when {@code device} is CUDA
 */
public record OnnxConfig(int intraOpThreads, int interOpThreads, Optimization optimization, Device device, int cudaDeviceId) {

    /** Graph optimisation levels, as ONNX Runtime names them. */
    public enum Optimization {
        NONE, BASIC, EXTENDED, ALL;

        public static Optimization parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ArgusException.configuration("Unknown ONNX optimisation level '" + s + "': use none, basic, extended or all.");
            }
        }
    }

    /** Execution provider. */
    public enum Device {
        CPU, CUDA;

        public static Device parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ArgusException.configuration("Unknown ONNX device '" + s + "': use cpu or cuda.");
            }
        }
    }

    public OnnxConfig {
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw ArgusException.configuration("ONNX Runtime intra-op threads must be 0 (default) to 1024, got " + intraOpThreads);
        }
        if (interOpThreads < 1 || interOpThreads > 1024) {
            throw ArgusException.configuration("ONNX Runtime inter-op threads must be 1 to 1024, got " + interOpThreads);
        }
        if (cudaDeviceId < 0 || cudaDeviceId > 64) {
            throw ArgusException.configuration("CUDA device index must be 0 to 64, got " + cudaDeviceId);
        }
    }

    /** CPU, all optimisations, ONNX Runtime's thread defaults. */
    public static OnnxConfig defaults() {
        return new OnnxConfig(0, 1, Optimization.ALL, Device.CPU, 0);
    }

    public OnnxConfig withThreads(int intraOp) {
        return new OnnxConfig(intraOp, interOpThreads, optimization, device, cudaDeviceId);
    }

    public OnnxConfig withInterOpThreads(int interOp) {
        return new OnnxConfig(intraOpThreads, interOp, optimization, device, cudaDeviceId);
    }

    public OnnxConfig withOptimization(Optimization o) {
        return new OnnxConfig(intraOpThreads, interOpThreads, o, device, cudaDeviceId);
    }

    public OnnxConfig withDevice(Device d, int id) {
        return new OnnxConfig(intraOpThreads, interOpThreads, optimization, d, id);
    }
}
