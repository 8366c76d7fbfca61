package dev.argus.djl;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;

/** Installs a DJL engine (PyTorch or TensorFlow, as configured) as the {@link InferenceEngine}. */
public final class DjlModule extends AbstractModule {
    private final DjlConfig config;

    public DjlModule(DjlConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return DjlInferenceEngine.open(config);
    }
}
