package dev.argus.tensorrt;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;

/** Installs TensorRT as the {@link InferenceEngine}. */
public final class TensorRtModule extends AbstractModule {
    private final TensorRtConfig config;

    public TensorRtModule(TensorRtConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return TensorRtInferenceEngine.open(config);
    }
}
