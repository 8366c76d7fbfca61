package dev.argus.app.config;

import dev.argus.domain.ArgusException;
import dev.argus.modelhub.HubModelSources;
import dev.argus.ports.out.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole Hugging Face repository as the model location, {@code hf://OWNER/REPO[@REVISION]}: its {@code config.json},
 * its {@code preprocessor_config.json} and its ONNX export ({@code onnx/model.onnx}, else {@code model.onnx}) are
 * downloaded (each cached and verified as a single-file location is), into one folder of the cache laid out as the
 * repository is; that folder is then served as a Hugging Face model folder.
 */
public final class HubRepository {
    static final List<String> ONNX_PATHS = List.of("onnx/model.onnx", "model.onnx");

    private final String owner;
    private final String repo;
    private final String revision;

    private HubRepository(String owner, String repo, String revision) {
        this.owner = owner;
        this.repo = repo;
        this.revision = revision;
    }

    /** The repository {@code location} names, when it is {@code hf://OWNER/REPO[@REVISION]} (no file path). */
    public static Optional<HubRepository> parse(String location) {
        String l = location.strip();
        if (!l.regionMatches(true, 0, "hf://", 0, 5)) {
            return Optional.empty();
        }
        String rest = l.substring(5);
        String revision = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && rest.indexOf('#') < 0) {
            revision = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || rest.indexOf('#') >= 0
                || (revision != null && revision.isEmpty())) {
            return Optional.empty(); // a file location, or one the file syntax's parser explains
        }
        return Optional.of(new HubRepository(parts[0], parts[1], revision));
    }

    /** {@code OWNER/REPO}, the model's name unless its config.json or the user gives another. */
    public String name() {
        return owner + "/" + repo;
    }

    private String file(String path) {
        return "hf://" + owner + "/" + repo + "/" + path + (revision == null ? "" : "@" + revision);
    }

    /** The downloaded (or cached) repository: the folder holding its files, and the model file in it. */
    public record Local(Path folder, Path model) {
    }

    /**
     * Downloads what the repository's model needs for {@code backend}, through {@code source}; the model file is looked
     * for in the cache first ({@code cachedOnly}, a source that never downloads), so that a complete cache serves
     * without the network whichever export the repository has.
     */
    public Local download(ModelSource source, ModelSource cachedOnly, String backend, ModelSource.ProgressListener progress) {
        if (!backend.equals("onnx") && !backend.equals("tensorrt")) {
            throw ArgusException.configuration("hf://" + owner + "/" + repo + " names a whole repository, whose ONNX export "
                    + "Argus downloads; backend " + backend + " needs a file: give hf://" + owner + "/" + repo + "/PATH.");
        }
        Path config = source.resolve(file("config.json"), progress);
        Path processor = source.resolve(file("preprocessor_config.json"), progress);
        Path folder = config.getParent();
        if (!processor.getParent().equals(folder)) {
            throw new IllegalStateException("the cache put " + processor + " outside " + folder);
        }
        for (String path : ONNX_PATHS) {
            try {
                return inside(folder, cachedOnly.resolve(file(path), progress));
            } catch (ArgusException notCached) {
                // look for the next, then download
            }
        }
        for (String path : ONNX_PATHS) {
            try {
                return inside(folder, source.resolve(file(path), progress));
            } catch (ArgusException e) {
                if (!HubModelSources.isMissingFile(e)) {
                    throw e;
                }
            }
        }
        throw ArgusException.modelUnavailable("hf://" + owner + "/" + repo + (revision == null ? "" : "@" + revision)
                + " has no ONNX export at " + String.join(" or ", ONNX_PATHS) + "; give the model file's location "
                + "(hf://" + owner + "/" + repo + "/PATH).", null);
    }

    private static Local inside(Path folder, Path model) {
        if (!model.startsWith(folder) || !Files.isRegularFile(model)) {
            throw new IllegalStateException("the cache put " + model + " outside " + folder);
        }
        return new Local(folder, model);
    }
}
