package dev.argus.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.domain.ArgusException;
import dev.argus.domain.LabelSet;
import dev.argus.domain.PreprocessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model folder in Hugging Face's layout, given as the model location: {@code config.json} (the labels, in
 * {@code id2label}) and {@code preprocessor_config.json} (the preprocessing, {@link HuggingFaceProcessor}) beside the
 * model file. The model file is found by the backend's conventional names: {@code model.onnx} or
 * {@code onnx/model.onnx} (ONNX Runtime, TensorRT), {@code model.pt} (TorchScript), the folder itself or
 * {@code saved_model/} (a TensorFlow SavedModel). A key the user sets ({@code argus.model.labels},
 * {@code argus.model.name}, {@code argus.model.preprocessor-config}) wins over what the folder says.
 *
 * <p>A folder counts as one only when it holds both JSON files: a TensorFlow SavedModel directory without them stays a
 * SavedModel, as before.
 */
final class HuggingFaceFolder {
    static final String PROCESSOR = "preprocessor_config.json";
    static final String CONFIG = "config.json";

    private final Path dir;

    private HuggingFaceFolder(Path dir) {
        this.dir = dir;
    }

    /** A URI scheme of two or more characters (a single letter is a Windows drive), other than {@code file:}. */
    private static final java.util.regex.Pattern OTHER_SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*",
            java.util.regex.Pattern.DOTALL);

    /**
     * The folder at {@code location}, when it is a local directory holding both {@code config.json} and
     * {@code preprocessor_config.json}; read as the local model source reads a path ({@code file:} URIs, {@code ~}).
     */
    static Optional<HuggingFaceFolder> at(String location) {
        Path p = localPath(location);
        return p != null && Files.isDirectory(p) && Files.isRegularFile(p.resolve(PROCESSOR)) && Files.isRegularFile(p.resolve(CONFIG))
                ? Optional.of(new HuggingFaceFolder(p.toAbsolutePath().normalize())) : Optional.empty();
    }

    /** {@code location} as a local path, or null when it is not one (another scheme, or unreadable as a path). */
    private static Path localPath(String location) {
        String l = location == null ? "" : location.strip();
        try {
            if (l.regionMatches(true, 0, "file:", 0, 5)) {
                java.net.URI uri = java.net.URI.create(l);
                return uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri);
            }
            if (l.isEmpty() || OTHER_SCHEME.matcher(l).matches()) {
                return null;
            }
            if (l.equals("~") || l.startsWith("~/")) {
                return Path.of(System.getProperty("user.home") + l.substring(1));
            }
            return Path.of(l);
        } catch (RuntimeException e) { // a bad URI or path: the model source reports it, naming the location
            return null;
        }
    }

    /** The model file for {@code backend}, by the conventional names; a configuration error listing them if none. */
    Path modelFile(String backend) {
        return modelFile(dir, backend, "The Hugging Face model folder ");
    }

    /**
     * The model file for {@code backend} in {@code dir} by the conventional names ({@code model.onnx} or
     * {@code onnx/model.onnx}, {@code model.pt}, a SavedModel in the folder itself or {@code saved_model/}); a
     * configuration error starting with {@code what} and listing them if none.
     */
    static Path modelFile(Path dir, String backend, String what) {
        List<Path> candidates = switch (backend) {
            case "onnx", "tensorrt" -> List.of(dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx"));
            case "djl-pytorch" -> List.of(dir.resolve("model.pt"));
            case "djl-tensorflow" -> List.of(dir, dir.resolve("saved_model"));
            default -> throw ArgusException.configuration(what + dir + " holds a model file; backend " + backend
                    + " does not run a local model file (use onnx, djl-pytorch, djl-tensorflow or tensorrt).");
        };
        for (Path c : candidates) {
            boolean found = backend.equals("djl-tensorflow") ? Files.isRegularFile(c.resolve("saved_model.pb")) : Files.isRegularFile(c);
            if (found) {
                return c;
            }
        }
        throw ArgusException.configuration(what + dir + " has no model for backend " + backend
                + ": looked for " + String.join(", ", candidates.stream().map(c -> backend.equals("djl-tensorflow")
                ? c.resolve("saved_model.pb").toString() : c.toString()).toList()) + ".");
    }

    PreprocessSpec preprocess(Settings s, ConfigReader r) {
        return ArgusConfig.preprocessFrom(dir.resolve(PROCESSOR), s, r);
    }

    Path dir() {
        return dir;
    }

    /** The labels of {@code config.json}'s {@code id2label}. */
    LabelSet labels() {
        return HuggingFaceProcessor.labels(dir.resolve(CONFIG));
    }

    /** {@code config.json}'s {@code _name_or_path} when it names the model, else the folder's name. */
    String name() {
        Path name = dir.getFileName();
        return name(name == null ? dir.toString() : name.toString());
    }

    /** {@code config.json}'s {@code _name_or_path} when it names the model, else {@code fallback}. */
    String name(String fallback) {
        try {
            JsonNode n = new ObjectMapper().readTree(dir.resolve(CONFIG).toFile()).get("_name_or_path");
            if (n != null && n.isTextual() && !n.asText().isBlank() && n.asText().length() <= 200
                    && !n.asText().startsWith("/") && !n.asText().startsWith(".")) {
                return n.asText().strip();
            }
        } catch (IOException | RuntimeException e) {
            // labels() reports a broken config.json; the name falls back
        }
        return fallback;
    }
}
