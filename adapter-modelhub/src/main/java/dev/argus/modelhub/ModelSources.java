package dev.argus.modelhub;

/** The standard set of model sources, for the composition root. */
public final class ModelSources {
    private ModelSources() {
    }

    /** {@code hf://} locations from the Hub (per {@code config}), everything else as a local file. */
    public static CompositeModelSource standard(HubConfig config) {
        return CompositeModelSource.of(new HuggingFaceModelSource(config), new LocalFileModelSource());
    }
}
