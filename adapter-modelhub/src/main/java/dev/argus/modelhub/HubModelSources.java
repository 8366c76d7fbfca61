package dev.argus.modelhub;

import dev.argus.ports.out.ModelSource;

/** The standard set of model sources, for the composition root. */
public final class HubModelSources {
    private HubModelSources() {
    }

    /** {@code hf://} locations from the Hub (per {@code config}), everything else as a local file. */
    public static ModelSource standard(HubConfig config) {
        return CompositeModelSource.of(new HuggingFaceModelSource(config), new LocalFileModelSource());
    }

    /**
     * Whether {@code e} says the Hub has no such file (404 for that path): what a caller trying several conventional
     * paths moves on from, where any other failure (network, auth) is reported.
     */
    public static boolean isMissingFile(dev.argus.domain.ArgusException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof HubFailure f) {
                return f.kind() == HubFailure.Kind.NOT_FOUND;
            }
        }
        return false;
    }
}
