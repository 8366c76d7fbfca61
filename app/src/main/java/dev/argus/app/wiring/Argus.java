package dev.argus.app.wiring;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import dev.argus.app.config.ArgusConfig;
import dev.argus.domain.ArgusException;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;

/**
 * A started Argus: the model loaded, the use case ready. Everything is created eagerly at start so that a bad model
 * or configuration fails now, not at the first request. Close it to release the engine.
 */
public final class Argus implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Argus.class.getName());
    private final Injector injector;

    private Argus(Injector injector) {
        this.injector = injector;
    }

    public static Argus start(ArgusConfig config, ModelSource.ProgressListener downloadProgress) {
        return start(config, downloadProgress, null);
    }

    /** As above, one of several models sharing {@code shared} (CPUs, decoders); null for a model alone. */
    public static Argus start(ArgusConfig config, ModelSource.ProgressListener downloadProgress, SharedCpus shared) {
        return start(config, downloadProgress, shared, dev.argus.ports.service.Tracing.OFF);
    }

    /** As above, the pipeline and remote backends recording the spans of traced requests with {@code tracing}. */
    public static Argus start(ArgusConfig config, ModelSource.ProgressListener downloadProgress, SharedCpus shared,
                              dev.argus.ports.service.Tracing tracing) {
        java.nio.file.Path model = null;
        if (!config.backend().remote()) { // the model is fetched here, before the injector: building it does no I/O
            ModelFiles.Local local = ModelFiles.localize(config, downloadProgress);
            config = local.config();
            model = local.model();
            config = dev.argus.app.tune.Tuning.apply(config, model).config();
            ArgusConfig.Inference i = config.inference();
            LOG.log(System.Logger.Level.INFO, "Backend {0}: {1} engine call(s) at once x {2} thread(s) each, batches of up to {3}, "
                    + "for {4} CPU(s) ({5}); sizing from {6}", config.backend(), i.workers(), i.threadsPerWorker(), i.maxBatch(),
                    i.cpus(), i.cpusSource(), i.sizing().source());
        }
        try {
            Argus argus = new Argus(Guice.createInjector(Stage.PRODUCTION, new ArgusModule(config, model, shared, tracing)));
            if (model != null) {
                NativeMemory.trim(); // what loading the model freed goes back to the kernel
                LOG.log(System.Logger.Level.INFO, "Model {0}: {1}", model, argus.useCase().model().precisionSummary());
            }
            return argus;
        } catch (CreationException | ProvisionException e) {
            throw unwrap(e);
        }
    }

    /** Guice wraps exceptions thrown while wiring; give the caller the Argus error inside. */
    private static RuntimeException unwrap(RuntimeException e) {
        java.util.Collection<com.google.inject.spi.Message> messages = e instanceof CreationException ce ? ce.getErrorMessages()
                : ((ProvisionException) e).getErrorMessages();
        for (com.google.inject.spi.Message m : messages) {
            for (Throwable t = m.getCause(); t != null; t = t.getCause()) {
                if (t instanceof ArgusException ae) {
                    return ae;
                }
            }
        }
        return e;
    }

    /** The configuration this Argus runs with: the one given, with a tuned sizing in place where one applies. */
    public ArgusConfig config() {
        return injector.getInstance(ArgusConfig.class);
    }

    public ClassifyImageUseCase useCase() {
        return injector.getInstance(ClassifyImageUseCase.class);
    }

    /** Tensor-level inference, when the backend runs the model here (not for remote backends). */
    public java.util.Optional<dev.argus.ports.in.InferTensorUseCase> tensorUseCase() {
        return classifier() instanceof dev.argus.ports.in.InferTensorUseCase t ? java.util.Optional.of(t) : java.util.Optional.empty();
    }

    /** The engine stage's statistics (Triton's nv_inference_* meanings); empty for remote backends. */
    public java.util.Optional<java.util.function.Supplier<dev.argus.ports.in.InferenceStatistics>> statistics() {
        return classifier() instanceof dev.argus.ports.service.LocalImageClassifier l
                ? java.util.Optional.of(l.scheduler()::statistics) : java.util.Optional.empty();
    }

    /** The engine under the local pipeline; empty for remote backends. */
    public java.util.Optional<dev.argus.ports.out.InferenceEngine> engine() {
        return existing(dev.argus.ports.out.InferenceEngine.class);
    }

    /** The decoder and preprocessing in front of the engine; empty for remote backends. */
    public java.util.Optional<dev.argus.ports.out.ImagePreprocessor> preprocessor() {
        return existing(dev.argus.ports.out.ImagePreprocessor.class);
    }

    private <T> java.util.Optional<T> existing(Class<T> type) {
        return injector.getExistingBinding(com.google.inject.Key.get(type)) == null ? java.util.Optional.empty()
                : java.util.Optional.of(injector.getInstance(type));
    }

    /** The configured image-level classifier (closing it closes this Argus's engine). */
    public ImageClassifier classifier() {
        return injector.getInstance(ImageClassifier.class);
    }

    /** Closes the engine; what a local engine freed goes back to the kernel (an unloaded or replaced model's memory). */
    @Override
    public void close() {
        classifier().close();
        if (engine().isPresent()) {
            NativeMemory.trim();
        }
    }
}
