package dev.argus.djl;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;

/** Installs a DJL engine (PyTorch or TensorFlow, as the model says) as the {@link InferenceEngine}. */
public final class DjlModule extends AbstractModule {
    private final DjlModel model;
    private final DjlConfig config;

    /** @see DjlInferenceEngine#open(DjlModel, DjlConfig) */
    public DjlModule(DjlModel model, DjlConfig config) {
        this.model = model;
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return DjlInferenceEngine.open(model, config);
    }
}
