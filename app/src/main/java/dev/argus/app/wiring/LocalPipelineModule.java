package dev.argus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.app.config.ArgusConfig;
import dev.argus.imageio.ImageIoConfig;
import dev.argus.imageio.ImageIoImagePreprocessor;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ImagePreprocessor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.ports.service.LocalImageClassifier;

/** For backends that run the model here: preprocessing plus the local pipeline on top of the engine. */
final class LocalPipelineModule extends AbstractModule {
    private final ArgusConfig config;
    private final SharedCpus shared;

    /** @param shared what the models of a repository share, or null for a model alone */
    LocalPipelineModule(ArgusConfig config, SharedCpus shared) {
        this.config = config;
        this.shared = shared;
    }

    @Provides
    @Singleton
    ImagePreprocessor preprocessor() {
        return new ImageIoImagePreprocessor(ImageIoConfig.defaults().withMaxPixels(config.maxPixels())
                .withApplyExifOrientation(config.exifOrientation())
                .withDecodeMemory(config.decodeMemoryBytes(), config.decodeWaitMillis()));
    }

    @Provides
    @Singleton
    ImageClassifier classifier(ImagePreprocessor preprocessor, InferenceEngine realEngine) {
        ArgusConfig.Inference i = config.inference();
        InferenceEngine engine = FaultInjectingEngine.wrap(realEngine, i.injectedFailureRate());
        if (shared == null) {
            return new LocalImageClassifier(config.backend(), config.model(), preprocessor, engine, i.maxBatch(), i.workers(),
                    i.queueTimeoutMs(), i.maxQueueDelayMicros() * 1_000, i.cpus());
        }
        return new LocalImageClassifier(config.backend(), config.model(), preprocessor,
                shared.budget().share(engine, i.threadsPerWorker()), i.maxBatch(), i.workers(), i.queueTimeoutMs(),
                i.maxQueueDelayMicros() * 1_000, i.cpus(), shared.decoders());
    }
}
