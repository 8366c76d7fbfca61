package dev.argus.onnx;

import dev.argus.domain.ArgusException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the ONNX Runtime engine. Immutable, validated on construction.
 *
 * @param model              the {@code .onnx} file
 * @param inputName          input tensor name, or empty for the model's only input
 * @param outputName         output tensor name, or empty for the model's first output
 * @param intraOpThreads     threads inside one operator (0 = ONNX Runtime's default, all cores)
 * @param interOpThreads     threads across operators (1 = sequential execution, best for CNNs)
 * @param optimization       graph optimisation level
 * @param device             CPU or CUDA
 * @param cudaDeviceId       GPU index when {@code device} is CUDA
 */
public record OnnxConfig(Path model, String inputName, String outputName, int intraOpThreads, int interOpThreads,
                         Optimization optimization, Device device, int cudaDeviceId) {

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
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw ArgusException.configuration("onnx intra-op threads must be 0 (default) to 1024, got " + intraOpThreads);
        }
        if (interOpThreads < 1 || interOpThreads > 1024) {
            throw ArgusException.configuration("onnx inter-op threads must be 1 to 1024, got " + interOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw ArgusException.configuration("CUDA device id must be >= 0, got " + cudaDeviceId);
        }
    }

    /** CPU, all optimisations, ONNX Runtime's thread defaults, names taken from the model. */
    public static OnnxConfig defaults(Path model) {
        return new OnnxConfig(model, "", "", 0, 1, Optimization.ALL, Device.CPU, 0);
    }

    public OnnxConfig withThreads(int intraOp) {
        return new OnnxConfig(model, inputName, outputName, intraOp, interOpThreads, optimization, device, cudaDeviceId);
    }

    public OnnxConfig withNames(String input, String output) {
        return new OnnxConfig(model, input, output, intraOpThreads, interOpThreads, optimization, device, cudaDeviceId);
    }

    public OnnxConfig withDevice(Device d, int id) {
        return new OnnxConfig(model, inputName, outputName, intraOpThreads, interOpThreads, optimization, d, id);
    }
}
