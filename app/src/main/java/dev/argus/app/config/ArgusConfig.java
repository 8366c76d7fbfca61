package dev.argus.app.config;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ChannelOrder;
import dev.argus.domain.InputLimits;
import dev.argus.domain.LabelSet;
import dev.argus.domain.ModelDescription;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Resample;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.argus.cloudflare.CloudflareConfig;
import dev.argus.djl.DjlConfig;
import dev.argus.grpc.GrpcClientConfig;
import dev.argus.onnx.OnnxConfig;
import dev.argus.tensorrt.TensorRtConfig;
import java.time.Duration;

/**
 * The typed, validated configuration of one Argus process, built from {@link Settings}. Every bad value fails here,
 * at start, naming the key, the value, where it came from and what is valid. The engines' settings are the adapters'
 * own configuration records ({@link OnnxConfig}, {@link DjlConfig}, {@link TensorRtConfig}), read from their keys by
 * {@link EngineConfigs}; the model they open is not part of them.
 */
public record ArgusConfig(Backend backend, String modelLocation, ModelDescription model, Path dataDir, InputLimits limits,
                          long maxPixels, long decodeMemoryBytes, long decodeWaitMillis, boolean exifOrientation, Inference inference,
                          OnnxConfig onnx, DjlConfig djl, TensorRtConfig tensorRt, Hub hub,
                          Optional<GrpcClientConfig> grpcBackend, Optional<CloudflareConfig> cloudflareBackend,
                          Optional<FolderKeys> hubFolder) {

    /**
     * For a model location naming a whole Hugging Face repository ({@link HubRepository}), whose folder is known only
     * once downloaded: which of what the folder gives the user set instead (they win, as for a local folder).
     */
    public record FolderKeys(boolean name, boolean labels, boolean processor) {
    }

    /**
     * This configuration with the downloaded repository {@code folder} in place of the {@code hf://OWNER/REPO}
     * location: its model file, and its preprocessing, labels and name where the user did not set them.
     */
    public ArgusConfig atFolder(HubRepository.Local local) {
        Path folder = local.folder();
        String fallbackName = HubRepository.parse(modelLocation).map(HubRepository::name).orElse(folder.toString());
        FolderKeys keys = hubFolder.orElseThrow(() -> new IllegalStateException("no repository folder pending"));
        HuggingFaceFolder f = HuggingFaceFolder.at(folder.toString()).orElseThrow(() -> ArgusException.modelUnavailable(
                "The downloaded repository folder " + folder + " has no " + HuggingFaceFolder.PROCESSOR + ".", null));
        PreprocessSpec spec = keys.processor() ? model.preprocess()
                : HuggingFaceProcessor.read(folder.resolve(HuggingFaceFolder.PROCESSOR), model.preprocess().layout());
        ModelDescription described = new ModelDescription(keys.name() ? model.name() : f.name(fallbackName), model.inputName(),
                model.outputName(), spec, keys.labels() ? model.labels() : f.labels());
        return new ArgusConfig(backend, local.model().toString(), described, dataDir, limits, maxPixels,
                decodeMemoryBytes, decodeWaitMillis, exifOrientation, inference, onnx, djl, tensorRt, hub, grpcBackend,
                cloudflareBackend, Optional.empty());
    }

    /**
     * Concurrency: {@code workers} engine calls at once, each with {@code threadsPerWorker} threads, for {@code cpus}
     * CPUs; {@code cpusSource} says where that number came from (the setting, or what the JVM may use: a container's
     * CPU limit shows there).
     */
    public record Inference(int workers, int maxBatch, long queueTimeoutMs, long maxQueueDelayMicros, int cpus, int threadsPerWorker,
                            String cpusSource, Sizing sizing, double injectedFailureRate) {
    }

    /**
     * Where workers x threads x max-batch came from. {@code userSet} names the sizing keys set by the user (they win
     * over a tuned setting); {@code tuning} says whether a setting {@code argus tune} measured may be used at all.
     */
    public record Sizing(String source, java.util.List<String> userSet, boolean tuning) {
        public static final String RULE = "rule";
    }

    /**
     * This configuration with a measured setting in place of the sizing rule: {@code workers} engine calls at once
     * with {@code threads} each, batches of at most {@code maxBatch}; {@code source} says where it was measured.
     */
    public ArgusConfig withSizing(int workers, int threads, int maxBatch, String source) {
        return sized(workers, threads, maxBatch, source, onnx.withThreads(threads), djl.withThreads(threads, djl.interOpThreads()));
    }

    /** This configuration, its sizing unchanged, with {@code source} saying where the sizing came from. */
    public ArgusConfig withSizingSource(String source) {
        return sized(inference.workers(), inference.threadsPerWorker(), inference.maxBatch(), source, onnx, djl);
    }

    private ArgusConfig sized(int workers, int threads, int maxBatch, String source, OnnxConfig onnx, DjlConfig djl) {
        Inference i = inference;
        Inference sized = new Inference(workers, maxBatch, i.queueTimeoutMs(), i.maxQueueDelayMicros(), i.cpus(), threads,
                i.cpusSource(), new Sizing(source, i.sizing().userSet(), i.sizing().tuning()), i.injectedFailureRate());
        return new ArgusConfig(backend, modelLocation, model, dataDir, limits, maxPixels, decodeMemoryBytes, decodeWaitMillis,
                exifOrientation, sized, onnx, djl, tensorRt, hub, grpcBackend, cloudflareBackend, hubFolder);
    }

    /** The device the engine computes on, as {@code argus tune} keys its settings: {@code cpu}, {@code cuda:0}, ... */
    public String engineDevice() {
        return switch (backend) {
            case ONNX -> onnx.device() == OnnxConfig.Device.CPU ? "cpu" : "cuda:" + onnx.cudaDeviceId();
            case DJL_PYTORCH, DJL_TENSORFLOW -> djl.device() == DjlConfig.Device.CPU ? "cpu" : "cuda:" + djl.gpuId();
            case TENSORRT -> "cuda:" + tensorRt.deviceId();
            case GRPC, CLOUDFLARE -> "remote";
        };
    }

    /** Engine threads per call: DJL's for the DJL backends, else ONNX Runtime's. */
    public int engineThreads() {
        return backend.djl() ? djl.intraOpThreads() : onnx.intraOpThreads();
    }

    /** Hugging Face Hub settings. The token is never printed. */
    public record Hub(URI endpoint, String token, boolean offline, java.time.Duration lockTimeout) {
        @Override
        public String toString() {
            return "Hub[endpoint=" + endpoint + ", token=" + (token.isEmpty() ? "none" : "<redacted>") + ", offline=" + offline
                    + ", lockTimeout=" + lockTimeout + "]";
        }
    }

    /** The keys a Hugging Face preprocessor configuration replaces. */
    private static final List<Key> PREPROCESSING_KEYS = List.of(Key.MODEL_INPUT_SIZE, Key.MODEL_RESIZE,
            Key.MODEL_RESIZE_SHORT_SIDE, Key.MODEL_SCALE, Key.MODEL_MEAN, Key.MODEL_STD, Key.MODEL_CHANNEL_ORDER,
            Key.MODEL_RESAMPLE);

    private static double failureRate(ConfigReader r) {
        double rate = r.dbl(Key.FAULTS_ENGINE_FAILURE_RATE);
        if (!(rate >= 0 && rate <= 1)) {
            throw r.bad(Key.FAULTS_ENGINE_FAILURE_RATE, "Expected a share of engine calls from 0 to 1");
        }
        return rate;
    }

    static boolean isDefault(Settings s, Key k) {
        return "default".equals(s.source(k));
    }

    /** Whether {@code argus.model.preprocessor-config} names a file (written out empty, it names none). */
    private static boolean processorGiven(ConfigReader r) {
        return !r.string(Key.MODEL_PREPROCESSOR_CONFIG).isBlank();
    }

    /** The local Hugging Face model folder {@code location} names, if it names one (both JSON files inside). */
    public static Optional<Path> huggingFaceFolder(String location) {
        return HuggingFaceFolder.at(location).map(HuggingFaceFolder::dir);
    }

    /** The preprocessing a Hugging Face processor configuration gives; none of the keys it replaces may be set too. */
    static PreprocessSpec preprocessFrom(Path processor, Settings s, ConfigReader r) {
        refuseKeysBeside("the Hugging Face processor configuration " + processor, s, r);
        return HuggingFaceProcessor.read(processor, r.choice(Key.MODEL_LAYOUT, TensorLayout.class));
    }

    /**
     * Refuses a preprocessing key the user set beside {@code what}, which already says how to preprocess: two
     * descriptions of one model's preprocessing would be a guess which one wins.
     */
    private static void refuseKeysBeside(String what, Settings s, ConfigReader r) {
        for (Key k : PREPROCESSING_KEYS) {
            if (!isDefault(s, k)) {
                throw r.bad(k, what + " (" + Key.MODEL_PREPROCESSOR_CONFIG.key() + ", or the model's folder) already "
                        + "says how to preprocess; give one or the other");
            }
        }
    }

    /**
     * The model's preprocessing: from {@code argus.model.preprocessor-config} when given (then none of the keys it
     * replaces may be set too: two descriptions of one model's preprocessing would be a guess which one wins), else
     * from the {@code argus.model.*} keys. The layout is always {@code argus.model.layout}: the engine's, not the
     * processor's.
     */
    private static PreprocessSpec preprocess(Settings s, ConfigReader r) {
        TensorLayout layout = r.choice(Key.MODEL_LAYOUT, TensorLayout.class);
        String processor = r.string(Key.MODEL_PREPROCESSOR_CONFIG).strip();
        if (!processor.isEmpty()) {
            return preprocessFrom(Paths.get(processor), s, r);
        }
        int size = r.intIn(Key.MODEL_INPUT_SIZE, 1, 8192);
        return r.wrap(Key.MODEL_RESIZE_SHORT_SIDE, () -> new PreprocessSpec(size, size,
                r.choice(Key.MODEL_RESIZE, ResizeMode.class), r.intIn(Key.MODEL_RESIZE_SHORT_SIDE, 1, 16384),
                (float) r.dbl(Key.MODEL_SCALE), r.floats3(Key.MODEL_MEAN), r.floats3(Key.MODEL_STD),
                r.choice(Key.MODEL_CHANNEL_ORDER, ChannelOrder.class), layout, r.choice(Key.MODEL_RESAMPLE, Resample.class)));
    }

    public static ArgusConfig from(Settings s, Map<String, String> env) {
        ConfigReader r = new ConfigReader(s);
        Backend backend = Backend.byId(r.string(Key.BACKEND).toLowerCase(Locale.ROOT))
                .orElseThrow(() -> r.bad(Key.BACKEND, "Valid backends: " + String.join(", ", Backend.names())));
        String location = r.string(Key.MODEL);
        if (location.isBlank()) {
            throw r.bad(Key.MODEL, "Give a model file path or an hf:// location");
        }
        Optional<FolderKeys> hubFolder = Optional.empty();
        if (HubRepository.parse(location).isPresent() && !backend.remote()) {
            hubFolder = Optional.of(new FolderKeys(!isDefault(s, Key.MODEL_NAME), !isDefault(s, Key.MODEL_LABELS),
                    processorGiven(r)));
            if (!hubFolder.get().processor()) {
                refuseKeysBeside("the repository's preprocessor_config.json (" + location + ")", s, r);
            }
        }
        Optional<HuggingFaceFolder> folder = backend.remote() ? Optional.empty() : HuggingFaceFolder.at(location);
        if (folder.isPresent()) {
            location = folder.get().modelFile(backend.id()).toString();
        }
        PreprocessSpec spec = folder.isPresent() && !processorGiven(r) ? folder.get().preprocess(s, r) : preprocess(s, r);
        String labels = r.string(Key.MODEL_LABELS);
        LabelSet labelSet = folder.isPresent() && isDefault(s, Key.MODEL_LABELS) ? folder.get().labels()
                : labels.equals("imagenet-1k") ? LabelSet.imagenet1k()
                : labels.endsWith(".json") ? HuggingFaceProcessor.labels(Paths.get(labels)) : LabelSet.fromFile(Paths.get(labels));
        String modelName = folder.isPresent() && isDefault(s, Key.MODEL_NAME) ? folder.get().name() : r.string(Key.MODEL_NAME);
        ModelDescription model = new ModelDescription(modelName, r.string(Key.MODEL_INPUT_NAME),
                r.string(Key.MODEL_OUTPUT_NAME), spec, labelSet);

        int cpus = r.intIn(Key.CPUS, 0, 4096);
        String cpusSource = Key.CPUS.key() + " from " + s.source(Key.CPUS);
        if (cpus == 0) {
            cpus = Runtime.getRuntime().availableProcessors();
            cpusSource = "available to the JVM: the machine's, or the container's CPU limit";
        }
        int workers = r.intIn(Key.WORKERS, 0, 1024);
        if (workers == 0) {
            // libtorch's threads all work only on the thread that started it: on worker threads one call uses ~1.4
            // cores, so for djl-pytorch one call per CPU with one thread each is the fast setting (measured 1.8x).
            // TensorRT: two execution contexts overlap one call's copies with the other's kernels.
            workers = switch (backend) {
                case DJL_PYTORCH -> cpus;
                case TENSORRT -> 2;
                default -> 1;
            };
        }
        int threads = Math.max(1, cpus / workers);
        java.util.List<String> userSet = new java.util.ArrayList<>();
        for (Key k : sizingKeys(backend)) {
            // the default value written out (workers=0 in the Kubernetes properties) chooses nothing
            if (!s.source(k).equals("default") && !s.get(k).trim().equals(k.defaultValue())) {
                userSet.add(k.key() + " (" + s.source(k) + ")");
            }
        }
        Inference inference = new Inference(workers, r.intIn(Key.MAX_BATCH, 1, 1024),
                r.longIn(Key.QUEUE_TIMEOUT_MS, 0, 3_600_000), r.longIn(Key.MAX_QUEUE_DELAY_US, 0, 10_000_000), cpus, threads,
                cpusSource, new Sizing(Sizing.RULE, java.util.List.copyOf(userSet), r.bool(Key.TUNING)), failureRate(r));
        Path dataDir = dataDir(r.string(Key.DATA_DIR), env);
        OnnxConfig onnx = EngineConfigs.onnx(r, threads);
        DjlConfig djl = EngineConfigs.djl(r, threads, dataDir);
        TensorRtConfig tensorRt = EngineConfigs.tensorRt(r, dataDir);
        URI endpoint = r.wrap(Key.HUB_ENDPOINT, () -> URI.create(r.string(Key.HUB_ENDPOINT).replaceAll("/+$", "")));
        if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http")) {
            throw r.bad(Key.HUB_ENDPOINT, "Give an http(s) URL");
        }
        Hub hub = new Hub(endpoint, r.string(Key.HUB_TOKEN), r.bool(Key.HUB_OFFLINE), r.millis(Key.HUB_LOCK_TIMEOUT_MS, 1, 86_400_000));
        return new ArgusConfig(backend, location, model, dataDir,
                r.wrap(Key.MAX_BYTES, () -> new InputLimits(r.longIn(Key.MAX_BYTES, 1, Integer.MAX_VALUE - 8))),
                r.longIn(Key.MAX_PIXELS, 1, 400_000_000L), decodeMemory(r), r.longIn(Key.DECODE_WAIT_MS, 0, 3_600_000),
                r.bool(Key.EXIF_ORIENTATION), inference, onnx, djl, tensorRt, hub,
                backend == Backend.GRPC ? Optional.of(grpcBackend(r)) : Optional.empty(),
                backend == Backend.CLOUDFLARE ? Optional.of(cloudflareBackend(r)) : Optional.empty(), hubFolder);
    }

    /**
     * The keys that size the engine stage for a backend: set by the user, they win over a tuned setting. (The CPU
     * count is not one of them: a setting is measured for a CPU count and looked up by it.)
     */
    private static java.util.List<Key> sizingKeys(Backend backend) {
        Key threads = backend.djl() ? Key.DJL_INTRA_OP_THREADS : Key.ONNX_INTRA_OP_THREADS;
        return java.util.List.of(Key.WORKERS, Key.MAX_BATCH, threads);
    }

    /** {@code argus.limits.decode-memory-bytes}: 0 = 35% of the maximum heap; otherwise at least 16 MiB. */
    private static long decodeMemory(ConfigReader r) {
        long v = r.longIn(Key.DECODE_MEMORY_BYTES, 0, Long.MAX_VALUE);
        if (v == 0) {
            return dev.argus.imageio.ImageIoConfig.defaultDecodeMemoryBytes();
        }
        if (v < dev.argus.imageio.ImageIoConfig.MIN_DECODE_MEMORY) {
            throw r.bad(Key.DECODE_MEMORY_BYTES, "Give at least " + dev.argus.imageio.ImageIoConfig.MIN_DECODE_MEMORY
                    + " (16 MiB), or 0 for 35% of the heap");
        }
        return v;
    }

    /** Backend {@code cloudflare}: Workers AI's endpoint, credentials, retries and circuit breaker. */
    private static CloudflareConfig cloudflareBackend(ConfigReader r) {
        URI base = r.wrap(Key.CLOUDFLARE_BASE_URL, () -> URI.create(r.string(Key.CLOUDFLARE_BASE_URL)));
        Duration attempt = r.millis(Key.CLOUDFLARE_ATTEMPT_TIMEOUT_MS, 1, 600_000);
        Duration deadline = r.millis(Key.CLOUDFLARE_DEADLINE_MS, 1, 3_600_000);
        int attempts = r.intIn(Key.CLOUDFLARE_MAX_ATTEMPTS, 1, 10);
        Duration backoffBase = r.millis(Key.CLOUDFLARE_BACKOFF_BASE_MS, 0, 600_000);
        Duration backoffMax = r.millis(Key.CLOUDFLARE_BACKOFF_MAX_MS, 0, 600_000);
        int failures = r.intIn(Key.CLOUDFLARE_BREAKER_FAILURES, 1, 1000);
        Duration open = r.millis(Key.CLOUDFLARE_BREAKER_OPEN_MS, 0, 3_600_000);
        int concurrency = r.intIn(Key.CLOUDFLARE_BATCH_CONCURRENCY, 1, 64);
        return r.wrap(Key.CLOUDFLARE_ACCOUNT_ID, () -> new CloudflareConfig(base, r.string(Key.CLOUDFLARE_ACCOUNT_ID),
                r.string(Key.CLOUDFLARE_API_TOKEN), r.string(Key.CLOUDFLARE_MODEL), attempt, deadline, attempts, backoffBase,
                backoffMax, failures, open, concurrency));
    }

    /** The client side of backend {@code grpc}: where the other Argus is and how to call it. */
    private static GrpcClientConfig grpcBackend(ConfigReader r) {
        String target = r.string(Key.GRPC_BACKEND_TARGET);
        if (target.isEmpty()) {
            throw r.bad(Key.GRPC_BACKEND_TARGET, "Backend grpc needs the other Argus's address, host:port");
        }
        GrpcClientConfig c = r.wrap(Key.GRPC_BACKEND_TARGET, () -> GrpcClientConfig.of(target))
                .withDeadline(r.millis(Key.GRPC_BACKEND_DEADLINE_MS, 1, 3_600_000))
                .withRetries(r.intIn(Key.GRPC_BACKEND_RETRIES, 0, GrpcClientConfig.MAX_RETRIES))
                .withMaxMessageBytes(r.intIn(Key.GRPC_BACKEND_MAX_MESSAGE_BYTES, 1024, Integer.MAX_VALUE));
        Optional<String> token = r.optional(Key.GRPC_BACKEND_TOKEN);
        if (token.isPresent()) {
            c = c.withToken(token.get());
        }
        if (r.bool(Key.GRPC_BACKEND_TLS)) {
            GrpcClientConfig base = c;
            c = r.wrap(Key.GRPC_BACKEND_TRUSTED_CERTS, () -> base.withTls(r.path(Key.GRPC_BACKEND_TRUSTED_CERTS).orElse(null)));
        }
        if (token.isPresent() && !c.tls() && !ServingConfig.loopback(host(target))
                && !r.bool(Key.GRPC_BACKEND_ALLOW_PLAINTEXT_TOKEN)) {
            throw r.bad(Key.GRPC_BACKEND_TOKEN, "The token would travel in clear text to " + host(target) + ". Set "
                    + "argus.grpc-backend.tls=true (the other Argus needs argus.grpc.tls-cert-chain), or "
                    + "argus.grpc-backend.allow-plaintext-token=true if the network between them is trusted");
        }
        return c;
    }

    /** The host of a gRPC target ({@code host:port}, {@code [v6]:port}, {@code dns:///host:port}). */
    static String host(String target) {
        String t = target.replaceFirst("^[a-z]+:///?", "");
        if (t.startsWith("[")) {
            return t.substring(1, Math.max(1, t.indexOf(']')));
        }
        int colon = t.lastIndexOf(':');
        return colon > 0 ? t.substring(0, colon) : t;
    }

    private static Path dataDir(String configured, Map<String, String> env) {
        if (!configured.isBlank()) {
            return Paths.get(configured.replaceFirst("^~", System.getProperty("user.home"))).toAbsolutePath();
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".local", "share");
        return base.resolve("argus").toAbsolutePath();
    }

    /** Directory where downloaded models are cached. */
    public Path modelCacheDir() {
        return dataDir.resolve("models");
    }
}
