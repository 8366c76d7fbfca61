package dev.argus.app.wiring;

import dev.argus.app.config.ArgusConfig;
import dev.argus.modelhub.HubConfig;
import dev.argus.modelhub.HubModelSources;
import dev.argus.ports.out.ModelSource;

/** Builds the model source from the configuration: local files and the Hugging Face Hub, cached in the data dir. */
public final class ModelSourceWiring {
    private ModelSourceWiring() {
    }

    public static ModelSource create(ArgusConfig config) {
        HubConfig hub = HubConfig.defaults(config.modelCacheDir())
                .withEndpoint(config.hub().endpoint())
                .withToken(config.hub().token())
                .withOffline(config.hub().offline())
                .withLockTimeout(config.hub().lockTimeout());
        return HubModelSources.standard(hub);
    }

    /** The same sources, never downloading: what the cache already holds, verified, or a refusal. */
    public static ModelSource createCachedOnly(ArgusConfig config) {
        HubConfig hub = HubConfig.defaults(config.modelCacheDir())
                .withEndpoint(config.hub().endpoint())
                .withToken(config.hub().token())
                .withOffline(true)
                .withLockTimeout(config.hub().lockTimeout());
        return HubModelSources.standard(hub);
    }
}
