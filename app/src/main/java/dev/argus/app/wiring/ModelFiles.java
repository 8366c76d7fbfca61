package dev.argus.app.wiring;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.HubRepository;
import dev.argus.ports.out.ModelSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one place a model location becomes files on this machine: a local file or folder as it is, a Hub file downloaded
 * into the cache, or a whole Hub repository's model folder ({@code hf://OWNER/REPO}), after which the configuration
 * describes the model from that folder. Serving, {@code argus tune}, {@code argus config} and {@code argus model fetch}
 * all go through it.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * @param config the configuration, described from the repository's folder where the location named one
     * @param model  the model file (or SavedModel directory) to load
     * @param folder the repository's downloaded folder, for a {@code hf://OWNER/REPO} location
     */
    public record Local(ArgusConfig config, Path model, Optional<Path> folder) {
    }

    public static Local localize(ArgusConfig config, ModelSource.ProgressListener progress) {
        ModelSource source = ModelSourceWiring.create(config);
        Optional<Path> folder = Optional.empty();
        if (config.hubFolder().isPresent()) {
            HubRepository.Local repo = HubRepository.parse(config.modelLocation()).orElseThrow()
                    .download(source, ModelSourceWiring.createCachedOnly(config), config.backend().id(), progress);
            config = config.atFolder(repo);
            folder = Optional.of(repo.folder());
        }
        return new Local(config, source.resolve(config.modelLocation(), progress), folder);
    }
}
