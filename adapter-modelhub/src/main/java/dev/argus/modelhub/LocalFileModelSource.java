package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.ports.out.ModelSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A model file already on disk: a plain path ({@code /models/model.onnx}, {@code models/model.onnx},
 * {@code ~/models/model.onnx}, {@code C:\models\model.onnx}) or a {@code file:} URI. Checked, never copied.
 */
final class LocalFileModelSource implements ModelSource, LocationSyntax {
    /** A URI scheme of two or more characters; a single letter is a Windows drive. */
    private static final Pattern OTHER_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    @Override
    public boolean supports(String location) {
        if (location == null || location.isBlank()) {
            return false;
        }
        String l = location.strip();
        return l.regionMatches(true, 0, "file:", 0, 5) || !OTHER_SCHEME.matcher(l).matches();
    }

    @Override
    public String locationSyntax() {
        return "a file path or file: URI (e.g. /models/model.onnx or file:///models/model.onnx)";
    }

    /**
     * A model file, or a TensorFlow SavedModel directory (one holding {@code saved_model.pb}).
     *
     * @throws ArgusException {@code MODEL_UNAVAILABLE} when the file is missing, another directory, unreadable or empty
     */
    @Override
    public Path resolve(String location, ProgressListener progress) {
        Path file = toPath(location).toAbsolutePath().normalize();
        String from = location.strip().equals(file.toString()) ? "" : " (from '" + location.strip() + "')";
        if (!Files.exists(file)) {
            throw unavailable("Model file not found: " + file + from + ". Check the model location, or use "
                    + HubLocation.EXAMPLE + " to download the model.");
        }
        if (Files.isDirectory(file)) {
            if (Files.isRegularFile(file.resolve("saved_model.pb"))) {
                return file; // a TensorFlow SavedModel is a directory
            }
            throw unavailable("Model location " + file + from + " is a directory but not a TensorFlow SavedModel (no "
                    + "saved_model.pb): point it at the model file inside (e.g. " + file.resolve("model.onnx") + ").");
        }
        if (!Files.isRegularFile(file)) {
            throw unavailable("Model location " + file + from + " is not a regular file: point it at a model file.");
        }
        if (!Files.isReadable(file)) {
            throw unavailable("Model file " + file + from + " is not readable by user '"
                    + System.getProperty("user.name") + "': fix its permissions.");
        }
        try {
            if (Files.size(file) == 0) {
                throw unavailable("Model file " + file + from + " is empty (0 bytes), perhaps from an interrupted "
                        + "download: download it again.");
            }
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Model file " + file + from + " cannot be read: " + e.getMessage(),
                    e);
        }
        return file;
    }

    private static Path toPath(String location) {
        String l = location == null ? "" : location.strip();
        try {
            if (l.regionMatches(true, 0, "file:", 0, 5)) {
                URI uri = URI.create(l);
                return uri.isOpaque() ? Path.of(uri.getSchemeSpecificPart()) : Path.of(uri);
            }
            if (l.equals("~") || l.startsWith("~/")) {
                return Path.of(System.getProperty("user.home") + l.substring(1));
            }
            if (l.isEmpty()) {
                throw new IllegalArgumentException("it is empty");
            }
            return Path.of(l);
        } catch (IllegalArgumentException e) {
            // also InvalidPathException and a file: URI with an authority or query
            throw ArgusException.configuration("Invalid model location '" + location + "': " + e.getMessage()
                    + ". Expected a file path or a file: URI, e.g. /models/model.onnx or file:///models/model.onnx.");
        }
    }

    private static ArgusException unavailable(String message) {
        return ArgusException.modelUnavailable(message, null);
    }
}
