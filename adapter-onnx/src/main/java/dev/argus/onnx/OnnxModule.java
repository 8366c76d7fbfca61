package dev.argus.onnx;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;

/** Installs ONNX Runtime as the {@link InferenceEngine}. */
public final class OnnxModule extends AbstractModule {
    private final OnnxConfig config;

    public OnnxModule(OnnxConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return OnnxInferenceEngine.open(config);
    }
}
