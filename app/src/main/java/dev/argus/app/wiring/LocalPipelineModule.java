package dev.argus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.app.config.ArgusConfig;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.ports.service.LocalImageClassifier;
import dev.argus.ports.service.Tracing;

/** For backends that run the model here: preprocessing plus the local pipeline on top of the engine. */
final class LocalPipelineModule extends AbstractModule {
    private final ArgusConfig config;
    private final SharedCpus shared;
    private final Tracing tracing;

    /**
     * @param shared  what the models of a repository share, or null for a model alone
     * @param tracing where the pipeline records the spans of traced requests
     */
    LocalPipelineModule(ArgusConfig config, SharedCpus shared, Tracing tracing) {
        this.config = config;
        this.shared = shared;
        this.tracing = tracing;
    }

    @Provides
    @Singleton
    ImagePreprocessor preprocessor() {
        return ServingPreprocessor.of(config);
    }

    @Provides
    @Singleton
    ImageClassifier classifier(ImagePreprocessor preprocessor, InferenceEngine realEngine) {
        ArgusConfig.Inference i = config.inference();
        InferenceEngine engine = FaultInjectingEngine.wrap(realEngine, i.injectedFailureRate());
        if (shared == null) {
            return new LocalImageClassifier(config.backend().id(), config.model(), preprocessor, engine, i.maxBatch(), i.workers(),
                    i.queueTimeoutMs(), i.maxQueueDelayMicros() * 1_000, i.cpus(), null, tracing);
        }
        return new LocalImageClassifier(config.backend().id(), config.model(), preprocessor,
                shared.budget().share(engine, i.threadsPerWorker()), i.maxBatch(), i.workers(), i.queueTimeoutMs(),
                i.maxQueueDelayMicros() * 1_000, i.cpus(), shared.decoders(), tracing);
    }
}
