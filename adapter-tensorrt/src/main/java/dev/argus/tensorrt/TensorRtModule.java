package dev.argus.tensorrt;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;
import java.nio.file.Path;

/** Installs TensorRT as the {@link InferenceEngine}, on an ONNX model file already on this machine. */
public final class TensorRtModule extends AbstractModule {
    private final Path model;
    private final int workers;
    private final TensorRtConfig config;

    /** @see TensorRtInferenceEngine#open(Path, int, TensorRtConfig) */
    public TensorRtModule(Path model, int workers, TensorRtConfig config) {
        this.model = model;
        this.workers = workers;
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return TensorRtInferenceEngine.open(model, workers, config);
    }
}
