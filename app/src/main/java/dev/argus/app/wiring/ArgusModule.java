package dev.argus.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Backends;
import dev.argus.domain.ArgusException;
import dev.argus.cloudflare.CloudflareImageClassifier;
import dev.argus.djl.DjlConfig;
import dev.argus.djl.DjlModule;
import dev.argus.domain.PreprocessSpec;
import dev.argus.grpc.GrpcImageClassifier;
import dev.argus.onnx.OnnxConfig;
import dev.argus.onnx.OnnxModule;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;
import dev.argus.ports.service.ClassificationService;
import dev.argus.ports.service.Tracing;
import dev.argus.tensorrt.TensorRtConfig;
import dev.argus.tensorrt.TensorRtModule;
import java.nio.file.Path;

/**
 * The composition root: the one place that knows every adapter. Installs the configured backend with a plain switch:
 * local engines get the local pipeline on top, remote backends are image classifiers themselves.
 */
public final class ArgusModule extends AbstractModule {
    private final ArgusConfig config;
    private final ModelSource.ProgressListener downloadProgress;
    private final Path resolvedModel;
    private final SharedCpus shared;
    private final Tracing tracing;

    /** @param resolvedModel the model file already resolved from {@code config.modelLocation()}, or null */
    public ArgusModule(ArgusConfig config, ModelSource.ProgressListener downloadProgress, Path resolvedModel) {
        this(config, downloadProgress, resolvedModel, null);
    }

    /** @param shared what the models of a repository share (CPUs, decoders), or null for a model alone */
    public ArgusModule(ArgusConfig config, ModelSource.ProgressListener downloadProgress, Path resolvedModel, SharedCpus shared) {
        this(config, downloadProgress, resolvedModel, shared, Tracing.OFF);
    }

    /** @param tracing where the pipeline and the remote backends record the spans of traced requests */
    public ArgusModule(ArgusConfig config, ModelSource.ProgressListener downloadProgress, Path resolvedModel, SharedCpus shared,
                       Tracing tracing) {
        this.tracing = tracing;
        this.config = config;
        this.downloadProgress = downloadProgress;
        this.resolvedModel = resolvedModel;
        this.shared = shared;
    }

    @Override
    protected void configure() {
        bind(ArgusConfig.class).toInstance(config);
        switch (config.backend()) {
            case Backends.ONNX -> {
                install(new OnnxModule(onnxConfig(resolveModel())));
                install(new LocalPipelineModule(config, shared, tracing));
            }
            case Backends.DJL_PYTORCH, Backends.DJL_TENSORFLOW -> {
                install(new DjlModule(djlConfig(resolveModel())));
                install(new LocalPipelineModule(config, shared, tracing));
            }
            case Backends.TENSORRT -> {
                // JavaCPP unpacks the CUDA/TensorRT JNI wrappers under the data dir, not into ~/.javacpp.
                if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
                    System.setProperty("org.bytedeco.javacpp.cachedir", config.dataDir().resolve("javacpp").toString());
                }
                install(new TensorRtModule(tensorRtConfig(resolveModel())));
                install(new LocalPipelineModule(config, shared, tracing));
            }
            case Backends.GRPC -> bind(ImageClassifier.class)
                    .toInstance(new GrpcImageClassifier(config.grpcBackend().orElseThrow(), tracing));
            case Backends.CLOUDFLARE -> bind(ImageClassifier.class)
                    .toInstance(new CloudflareImageClassifier(config.cloudflareBackend().orElseThrow(), tracing));
            default -> throw ArgusException.configuration("Unknown backend '" + config.backend() + "'. Valid backends: "
                    + String.join(", ", Backends.names()) + ".");
        }
    }

    private Path resolveModel() {
        if (resolvedModel != null) {
            return resolvedModel;
        }
        return ModelSourceWiring.create(config).resolve(config.modelLocation(), downloadProgress);
    }

    private OnnxConfig onnxConfig(Path model) {
        ArgusConfig.Onnx o = config.onnx();
        return new OnnxConfig(model, config.model().inputName(), config.model().outputName(), o.intraOpThreads(),
                o.interOpThreads(), OnnxConfig.Optimization.parse(o.optimization()), OnnxConfig.Device.parse(o.device()),
                o.cudaDevice());
    }

    private DjlConfig djlConfig(Path model) {
        ArgusConfig.Djl d = config.djl();
        PreprocessSpec p = config.model().preprocess();
        return new DjlConfig(DjlConfig.Engine.parse(config.backend()), model, config.model().inputName(),
                config.model().outputName(), p.layout(), p.inputWidth(), d.intraOpThreads(), d.interOpThreads(),
                d.cacheDir(), DjlConfig.Device.parse(d.device()), d.gpuId(), d.nativesDir());
    }

    private TensorRtConfig tensorRtConfig(Path model) {
        ArgusConfig.TensorRt t = config.tensorRt();
        return new TensorRtConfig(model, TensorRtConfig.Precision.parse(t.precision()), t.minBatch(), t.optBatch(),
                t.maxBatch(), t.workspaceBytes(), t.cacheDir(), t.device(), config.inference().workers());
    }

    @Provides
    @Singleton
    ClassifyImageUseCase useCase(ImageClassifier classifier) {
        return new ClassificationService(classifier, config.limits());
    }
}
