package dev.argus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.app.config.ArgusConfig;
import dev.argus.cloudflare.CloudflareImageClassifier;
import dev.argus.djl.DjlModel;
import dev.argus.djl.DjlModule;
import dev.argus.domain.PreprocessSpec;
import dev.argus.grpc.GrpcImageClassifier;
import dev.argus.onnx.OnnxModule;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.service.ClassificationService;
import dev.argus.ports.service.Tracing;
import dev.argus.tensorrt.TensorRtModule;
import java.nio.file.Path;

/**
 * The composition root: the one place that knows every adapter. Installs the configured backend with a plain switch:
 * local engines get the local pipeline on top, remote backends are image classifiers themselves. It does no I/O of its
 * own: the model file is resolved (downloaded, when it must be) before the injector is built ({@link ModelFiles}, in
 * {@link Argus#start}), and handed in.
 */
public final class ArgusModule extends AbstractModule {
    private final ArgusConfig config;
    private final Path model;
    private final SharedCpus shared;
    private final Tracing tracing;

    /**
     * @param model   the model file (or SavedModel directory) on this machine, already resolved from
     *                {@code config.modelLocation()}; null for a remote backend, which has none
     * @param shared  what the models of a repository share (CPUs, decoders), or null for a model alone
     * @param tracing where the pipeline and the remote backends record the spans of traced requests
     */
    public ArgusModule(ArgusConfig config, Path model, SharedCpus shared, Tracing tracing) {
        this.config = config;
        this.model = model;
        this.shared = shared;
        this.tracing = tracing;
    }

    @Override
    protected void configure() {
        bind(ArgusConfig.class).toInstance(config);
        switch (config.backend()) {
            case ONNX -> install(new OnnxModule(model(), config.model().inputName(), config.model().outputName(), config.onnx()));
            case DJL_PYTORCH, DJL_TENSORFLOW -> install(new DjlModule(djlModel(), config.djl()));
            case TENSORRT -> {
                // JavaCPP unpacks the CUDA/TensorRT JNI wrappers under the data dir, not into ~/.javacpp.
                if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
                    System.setProperty("org.bytedeco.javacpp.cachedir", config.dataDir().resolve("javacpp").toString());
                }
                install(new TensorRtModule(model(), config.inference().workers(), config.tensorRt()));
            }
            case GRPC -> bind(ImageClassifier.class).toInstance(new GrpcImageClassifier(config.grpcBackend().orElseThrow(), tracing));
            case CLOUDFLARE -> bind(ImageClassifier.class)
                    .toInstance(new CloudflareImageClassifier(config.cloudflareBackend().orElseThrow(), tracing));
        }
        if (!config.backend().remote()) {
            install(new LocalPipelineModule(config, shared, tracing));
        }
    }

    /** The model file a local engine opens: given, never fetched here. */
    private Path model() {
        if (model == null) {
            throw new IllegalStateException("Backend " + config.backend() + " runs the model here: resolve "
                    + config.modelLocation() + " to a file (ModelFiles.localize) before building the injector");
        }
        return model;
    }

    private DjlModel djlModel() {
        PreprocessSpec p = config.model().preprocess();
        return new DjlModel(DjlModel.Engine.parse(config.backend().id()), model(), config.model().inputName(),
                config.model().outputName(), p.layout(), p.inputWidth());
    }

    @Provides
    @Singleton
    ClassifyImageUseCase useCase(ImageClassifier classifier) {
        return new ClassificationService(classifier, config.limits());
    }
}
