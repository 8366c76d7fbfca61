package dev.argus.onnx;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.ports.out.InferenceEngine;
import java.nio.file.Path;

/** Installs ONNX Runtime as the {@link InferenceEngine}, on a model file already on this machine. */
public final class OnnxModule extends AbstractModule {
    private final Path model;
    private final String inputName;
    private final String outputName;
    private final OnnxConfig config;

    /** @see OnnxInferenceEngine#open(Path, String, String, OnnxConfig) */
    public OnnxModule(Path model, String inputName, String outputName, OnnxConfig config) {
        this.model = model;
        this.inputName = inputName;
        this.outputName = outputName;
        this.config = config;
    }

    @Provides
    @Singleton
    InferenceEngine engine() {
        return OnnxInferenceEngine.open(model, inputName, outputName, config);
    }
}
