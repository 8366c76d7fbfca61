package dev.argus.djl;

import dev.argus.domain.ArgusException;
import dev.argus.domain.TensorLayout;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The model a DJL engine opens: what the model is, as opposed to how the engine runs it ({@link DjlConfig}).
 *
 * @param engine     which DJL engine runs the model
 * @param path       a TorchScript file ({@code .pt}) for PyTorch, a SavedModel directory for TensorFlow
 * @param inputName  input tensor name, or empty for the model's only input (TorchScript has no names)
 * @param outputName output tensor name, or empty for the model's first output
 * @param layout     the model's input layout; the tensors handed to {@code infer} are in it
 * @param inputSize  model input width and height in pixels
 */
public record DjlModel(Engine engine, Path path, String inputName, String outputName, TensorLayout layout, int inputSize) {

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

    public DjlModel {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(outputName, "outputName");
        Objects.requireNonNull(layout, "layout");
        if (inputSize < 1) {
            throw ArgusException.configuration("DJL model input size must be at least 1 pixel, got " + inputSize);
        }
    }

    /** NCHW 224x224, tensor names taken from the model. */
    public static DjlModel of(Engine engine, Path path) {
        return new DjlModel(engine, path, "", "", TensorLayout.NCHW, 224);
    }

    public DjlModel withNames(String input, String output) {
        return new DjlModel(engine, path, input, output, layout, inputSize);
    }

    public DjlModel withLayout(TensorLayout l, int size) {
        return new DjlModel(engine, path, inputName, outputName, l, size);
    }
}
