package dev.argus.app.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key Argus knows, with its default and meaning. The single source for validation (unknown keys
 * are refused), environment-variable names and the README's reference table.
 */
public enum Key {
    BACKEND("argus.backend", "onnx", "Inference backend. Valid: " + String.join(", ", Backend.names()) + "."),
    MODEL("argus.model", "hf://Xenova/resnet-50/onnx/model.onnx",
            "Model location: a local file, a Hugging Face model folder, hf://OWNER/REPO/PATH[@REVISION][#sha256=HEX] "
                    + "downloaded into the data dir, or hf://OWNER/REPO[@REVISION] (the repository's ONNX export and its "
                    + "config.json and preprocessor_config.json; backends onnx and tensorrt)."),
    REPOSITORY("argus.repository", "",
            "A model repository: a directory with a folder per model (<name>/model.properties, <name>/<version>/) whose "
                    + "models are served together (README, Model repository). Empty = serve the one model of argus.model."),
    REPOSITORY_CONTROL("argus.repository.control", "none",
            "Model control: none (the repository is read at start), explicit (POST /v2/repository/models/{name}/load|unload "
                    + "with an admin token) or poll (changes in the repository are picked up)."),
    REPOSITORY_POLL_INTERVAL_MS("argus.repository.poll-interval-ms", "15000", "With control poll: how often the repository is read."),
    REPOSITORY_STARTUP_MODELS("argus.repository.startup-models", "*",
            "The repository's models loaded at start, comma-separated; * = all (with control explicit, others are loaded on request)."),
    MODEL_NAME("argus.model.name", "microsoft/resnet-50", "Model name reported in results. A Hugging Face model folder or repository gives its own (config.json's _name_or_path) unless this is set."),
    MODEL_INPUT_NAME("argus.model.input-name", "", "Input tensor name; empty = the model's only input."),
    MODEL_OUTPUT_NAME("argus.model.output-name", "", "Output (logits) tensor name; empty = the model's first output."),
    MODEL_LABELS("argus.model.labels", "imagenet-1k", "Label set: imagenet-1k (built in), a text file with one class per line, or a Hugging Face config.json (its id2label). A Hugging Face model folder or repository gives its own unless this is set."),
    MODEL_INPUT_SIZE("argus.model.input-size", "224", "Model input width and height in pixels."),
    MODEL_RESIZE("argus.model.resize", "short-side-then-center-crop", "short-side-then-center-crop or stretch."),
    MODEL_RESIZE_SHORT_SIDE("argus.model.resize-short-side", "256", "Short side after resizing, before the centre crop."),
    MODEL_SCALE("argus.model.scale", "0.00392156862745098", "Factor applied to 0..255 pixel values (1/255)."),
    MODEL_MEAN("argus.model.mean", "0.485,0.456,0.406", "Per-channel mean subtracted after scaling (model channel order)."),
    MODEL_STD("argus.model.std", "0.229,0.224,0.225", "Per-channel standard deviation."),
    MODEL_CHANNEL_ORDER("argus.model.channel-order", "rgb", "rgb or bgr."),
    MODEL_LAYOUT("argus.model.layout", "nchw", "nchw or nhwc."),
    MODEL_RESAMPLE("argus.model.resample", "bicubic", "The resize's filter, as Pillow's: bicubic or bilinear."),
    MODEL_PREPROCESSOR_CONFIG("argus.model.preprocessor-config", "",
            "A Hugging Face preprocessor_config.json (ConvNextImageProcessor, ViTImageProcessor, BitImageProcessor); wins over a model folder's or repository's own. The "
                    + "model's preprocessing is read from it, instead of the argus.model.* input-size, resize, resize-short-side, "
                    + "scale, mean, std, channel-order and resample keys (which must then stay unset)."),
    DATA_DIR("argus.data-dir", "", "Where Argus keeps downloaded models and caches; empty = $XDG_DATA_HOME/argus or ~/.local/share/argus."),
    MAX_BYTES("argus.limits.max-bytes", "10485760", "Largest image file accepted, in bytes (10 MiB)."),
    MAX_PIXELS("argus.limits.max-pixels", "50000000", "Largest declared image size, width x height; refused before decoding."),
    DECODE_MEMORY_BYTES("argus.limits.decode-memory-bytes", "0",
            "Heap all image decodes may hold at once, priced in bytes from each header (16-bit RGBA: 11 bytes a pixel); a decode that does not fit waits, one that never could gets 413. 0 = 35% of the maximum heap."),
    DECODE_WAIT_MS("argus.limits.decode-wait-ms", "30000", "How long a decode waits for decode memory before 'overloaded' (429)."),
    EXIF_ORIENTATION("argus.image.exif-orientation", "true", "Rotate/flip JPEGs as their EXIF orientation says."),
    WORKERS("argus.inference.workers", "0",
            "Engine calls allowed at once; threads per call = CPUs / workers. 0 = 1 (onnx, djl-tensorflow), CPUs (djl-pytorch, whose threads only all work on the thread that started it) or 2 (tensorrt: execution contexts, each with its own CUDA stream)."),
    MAX_BATCH("argus.inference.max-batch", "8", "Most images per engine call."),
    QUEUE_TIMEOUT_MS("argus.inference.queue-timeout-ms", "30000",
            "How long a request waits for room in the inference queue (2 x workers x max-batch images) before 'overloaded'."),
    MAX_QUEUE_DELAY_US("argus.inference.max-queue-delay-us", "0",
            "How long an engine worker holding a part batch waits for more images, as Triton's max_queue_delay_microseconds; 0 = run what is waiting (batches still grow under load, while the engine is busy)."),
    FAULTS_ENGINE_FAILURE_RATE("argus.faults.engine-failure-rate", "0",
            "For soak tests (tools/soak/run): the share of engine calls, 0..1, that fail with an injected error as if the engine had "
                    + "failed (REST 500/3043, gRPC INTERNAL); each model's first 16 calls (its warm-up, at most 16 rounds of argus.server.warmup-rounds) are spared. 0 injects nothing; any other value is logged as a warning at start."),
    TUNING("argus.inference.tuning", "true",
            "Use the setting `argus tune` measured for this model, backend, device and CPU, when there is one (workers, threads, max-batch); "
                    + "sizing keys you set win over it. false = the sizing rule."),
    CPUS("argus.cpus", "0", "CPUs to size threads for (engine threads, the decode pool); 0 = what the JVM may use (cgroup-aware availableProcessors)."),
    ONNX_INTRA_OP_THREADS("argus.onnx.intra-op-threads", "0", "ONNX Runtime threads per call; 0 = CPUs / workers."),
    ONNX_INTER_OP_THREADS("argus.onnx.inter-op-threads", "1", "ONNX Runtime inter-operator threads."),
    ONNX_OPTIMIZATION("argus.onnx.optimization", "all", "Graph optimisation: none, basic, extended or all."),
    ONNX_DEVICE("argus.onnx.device", "cpu", "cpu or cuda (needs the -Pgpu build and an NVIDIA GPU)."),
    ONNX_CUDA_DEVICE("argus.onnx.cuda-device", "0", "GPU index for cuda."),
    DJL_INTRA_OP_THREADS("argus.djl.intra-op-threads", "0", "DJL threads per call; 0 = CPUs / workers."),
    DJL_INTER_OP_THREADS("argus.djl.inter-op-threads", "1", "DJL inter-operator threads (PyTorch: process-wide, fixed by the first engine)."),
    DJL_DEVICE("argus.djl.device", "cpu", "cpu or gpu (djl-pytorch with a CUDA 12.8 libtorch in argus.djl.natives-dir)."),
    DJL_GPU_ID("argus.djl.gpu-id", "0", "GPU index for gpu."),
    DJL_CACHE_DIR("argus.djl.cache-dir", "", "Where DJL and JavaCPP unpack native libraries; empty = <data dir>/djl."),
    DJL_NATIVES_DIR("argus.djl.natives-dir", "",
            "Engine natives instead of the bundled ones: TensorFlow 2.16.1 .so dir, or libtorch 2.7.1 (CUDA 12.8 for gpu); empty = bundled."),
    TENSORRT_PRECISION("argus.tensorrt.precision", "fp32",
            "fp32 (TF32 off) or fp16 (Argus converts the ONNX model to float16 weights and tensors, float32 input and output; "
                    + "a model already in float16 is used as is)."),
    TENSORRT_MIN_BATCH("argus.tensorrt.min-batch", "1", "Smallest batch of the engine's optimisation profile."),
    TENSORRT_OPT_BATCH("argus.tensorrt.opt-batch", "8", "Batch TensorRT tunes the engine for."),
    TENSORRT_MAX_BATCH("argus.tensorrt.max-batch", "32", "Largest batch of the optimisation profile (calls are capped by argus.inference.max-batch too)."),
    TENSORRT_WORKSPACE_MB("argus.tensorrt.workspace-mb", "1024", "Builder workspace memory limit, MiB."),
    TENSORRT_CACHE_DIR("argus.tensorrt.cache-dir", "", "Where built engines are cached between starts; empty = <data dir>/tensorrt."),
    TENSORRT_DEVICE("argus.tensorrt.device", "0", "CUDA device index."),
    HUB_ENDPOINT("argus.hub.endpoint", "https://huggingface.co", "Hugging Face Hub endpoint (env HF_ENDPOINT also works)."),
    HUB_TOKEN("argus.hub.token", "", "Hub token for gated repositories (env HF_TOKEN also works). Never logged."),
    HUB_LOCK_TIMEOUT_MS("argus.hub.lock-timeout-ms", "300000",
            "How long to wait for another process downloading the same file while its download makes no progress; then fail naming the lock and its holder."),
    HUB_OFFLINE("argus.hub.offline", "false", "Never download; use only cached or local models (env HF_HUB_OFFLINE=1 also works)."),
    CLOUDFLARE_BASE_URL("argus.cloudflare.base-url", "https://api.cloudflare.com", "For backend cloudflare: the API (or another Argus's REST base URL)."),
    CLOUDFLARE_ACCOUNT_ID("argus.cloudflare.account-id", "", "For backend cloudflare: the account id (env CLOUDFLARE_ACCOUNT_ID also works)."),
    CLOUDFLARE_API_TOKEN("argus.cloudflare.api-token", "", "For backend cloudflare: an API token with Workers AI permission (env CLOUDFLARE_API_TOKEN also works). Never logged."),
    CLOUDFLARE_MODEL("argus.cloudflare.model", "@cf/microsoft/resnet-50", "For backend cloudflare: the model to run."),
    CLOUDFLARE_ATTEMPT_TIMEOUT_MS("argus.cloudflare.attempt-timeout-ms", "10000", "For backend cloudflare: timeout of one HTTP attempt."),
    CLOUDFLARE_DEADLINE_MS("argus.cloudflare.deadline-ms", "30000", "For backend cloudflare: total time per image, retries included."),
    CLOUDFLARE_MAX_ATTEMPTS("argus.cloudflare.max-attempts", "4", "For backend cloudflare: attempts on 429, 5xx and timeouts (1..10)."),
    CLOUDFLARE_BACKOFF_BASE_MS("argus.cloudflare.backoff-base-ms", "200", "For backend cloudflare: first retry delay (exponential, jittered; Retry-After wins)."),
    CLOUDFLARE_BACKOFF_MAX_MS("argus.cloudflare.backoff-max-ms", "5000", "For backend cloudflare: longest retry delay."),
    CLOUDFLARE_BREAKER_FAILURES("argus.cloudflare.breaker-failures", "5", "For backend cloudflare: server failures in a row that open the circuit breaker."),
    CLOUDFLARE_BREAKER_OPEN_MS("argus.cloudflare.breaker-open-ms", "30000", "For backend cloudflare: how long an open breaker fails fast before one trial call."),
    CLOUDFLARE_BATCH_CONCURRENCY("argus.cloudflare.batch-concurrency", "4", "For backend cloudflare: calls in flight for one batch."),
    SERVER_WARMUP_ROUNDS("argus.server.warmup-rounds", "3", "Classifications run at start before the servers report ready."),
    SERVER_COMPILER_NICE("argus.server.compiler-nice", "10",
            "Linux: the nice value (1..19) argus serve and argus bench give the JVM's C2 (optimising JIT) compiler threads (with renice), so that compilations minutes into a server's life use idle CPU instead of a core the requests need (README, JIT compilations and the tail); 0 leaves them at the process's priority."),
    SERVER_SHUTDOWN_DELAY_MS("argus.server.shutdown-delay-ms", "0",
            "On SIGTERM: keep serving this long while reporting not ready, so that load balancers stop sending first (Kubernetes: a few seconds)."),
    SERVER_SHUTDOWN_GRACE_MS("argus.server.shutdown-grace-ms", "10000", "On SIGTERM: how long in-flight requests may finish."),
    SERVER_MAX_CONCURRENT_REQUESTS("argus.server.max-concurrent-requests", "0",
            "Requests in progress over REST and gRPC together; past it a request is refused as past its own API's limit. "
                    + "0 = the sum of the enabled APIs' limits (each API keeps its own places); set lower to cap the total."),
    SERVER_ADMIN_TOKENS("argus.server.admin-tokens", "",
            "Bearer tokens (comma-separated) for model control (load and unload); empty = model control is refused. Never logged."),
    SERVER_ALLOW_UNAUTHENTICATED("argus.server.allow-unauthenticated", "false",
            "Serve on a non-loopback address without tokens. Off: binding REST or gRPC to another address without argus.rest.auth-tokens / argus.grpc.token is a configuration error."),
    METRICS_PORT("argus.metrics.port", "",
            "A listener of its own serving only GET /metrics (the same series as REST's /metrics): for a server with REST disabled, or to keep scrapes off the API's port. Its port (0 = random); empty = none. No tokens, as /metrics on REST."),
    METRICS_HOST("argus.metrics.host", "127.0.0.1", "The metrics listener's bind address; 0.0.0.0 for scrapers on other hosts (it is open: bind where only they reach)."),
    REST_ENABLED("argus.rest.enabled", "true", "Serve REST (Cloudflare route, /v1, Open Inference Protocol, metrics, demo page) in argus serve."),
    REST_HOST("argus.rest.host", "127.0.0.1", "REST bind address; 0.0.0.0 to accept other hosts (then set tokens)."),
    REST_PORT("argus.rest.port", "8080", "REST port (0 = random)."),
    REST_AUTH_TOKENS("argus.rest.auth-tokens", "", "Comma-separated bearer tokens; empty = no auth. Never logged."),
    REST_MAX_BODY_BYTES("argus.rest.max-body-bytes", "67108864",
            "Largest request body (64 MiB: a 10 MiB image as a JSON number array needs up to ~5x its size)."),
    REST_TLS_CERT_CHAIN("argus.rest.tls-cert-chain", "", "PEM certificate chain for HTTPS; empty = plain HTTP."),
    REST_TLS_PRIVATE_KEY("argus.rest.tls-private-key", "", "PEM (PKCS#8) private key for HTTPS."),
    REST_MAX_BODY_BYTES_IN_FLIGHT("argus.rest.max-body-bytes-in-flight", "0",
            "Heap all request bodies (and the images parsed out of them) may hold at once, counted as bytes arrive; a request that would go over gets 429/3040. 0 = 15% of the maximum heap; where that is under twice argus.rest.max-body-bytes, the default body limit shrinks to half of it (a body limit set explicitly raises this instead)."),
    REST_REQUEST_TIMEOUT_MS("argus.rest.request-timeout-ms", "30000", "Requests still running after this get 408/3007."),
    REST_MAX_CONCURRENT_REQUESTS("argus.rest.max-concurrent-requests", "64", "Requests in progress at once; more wait up to argus.rest.admission-wait-ms, then get 429/3040."),
    REST_ADMISSION_WAIT_MS("argus.rest.admission-wait-ms", "1000",
            "How long a request past the concurrency limit waits, in order of arrival, for a place; then 429/3040 with Retry-After: 1, its body unread (README, Scheduling and overload)."),
    REST_MAX_CONNECTIONS("argus.rest.max-connections", "1000",
            "Open REST connections at most; more wait in the kernel's accept queue until one closes."),
    REST_HEADER_TIMEOUT_MS("argus.rest.header-timeout-ms", "10000",
            "A request's line and headers must arrive within this of its first byte, else 408 and the connection closes."),
    REST_MAX_IMAGES_PER_REQUEST("argus.rest.max-images-per-request", "32", "Most images in one /v1/classify batch."),
    REST_CLOUDFLARE_MODEL("argus.rest.cloudflare-model", "@cf/microsoft/resnet-50", "Model id served on the Cloudflare-compatible route."),
    REST_CORS_ORIGINS("argus.rest.cors-origins", "",
            "Browser origins that may call the REST API (CORS): comma-separated, each as the browser sends it (scheme://host[:port], lower case, no path), or * for any; empty = CORS off, no CORS headers. Preflights are answered without a token; the requests themselves still need one."),
    REST_CORS_MAX_AGE_S("argus.rest.cors-max-age-s", "600",
            "How long a browser may cache the answer to a CORS preflight, in seconds (0..86400; browsers cap it lower)."),
    GRPC_ENABLED("argus.grpc.enabled", "true", "Serve gRPC (argus.v1.Classifier, health, reflection) in argus serve."),
    GRPC_HOST("argus.grpc.host", "127.0.0.1", "gRPC bind address; 0.0.0.0 to accept other hosts (then set a token)."),
    GRPC_PORT("argus.grpc.port", "50051", "gRPC port (0 = random)."),
    GRPC_MAX_MESSAGE_BYTES("argus.grpc.max-inbound-message-bytes", "16777216",
            "Largest gRPC request (16 MiB: a 10 MiB image fits; gRPC's own 4 MiB default would not)."),
    GRPC_MAX_CONCURRENT_CALLS("argus.grpc.max-concurrent-calls", "64", "Calls in progress at once; more get RESOURCE_EXHAUSTED."),
    GRPC_MAX_BYTES_IN_FLIGHT("argus.grpc.max-bytes-in-flight", "0",
            "Memory request messages may hold at once; a call gets twice the largest message before its message is read, and waits unread while others hold it. 0 = 10% of the maximum heap (at least twice the largest message)."),
    GRPC_MAX_CALLS_PER_CONNECTION("argus.grpc.max-calls-per-connection", "32", "Calls one connection may have open at once."),
    GRPC_MAX_CONNECTION_AGE_MS("argus.grpc.max-connection-age-ms", "1800000", "Connections are closed gracefully after this long."),
    GRPC_TOKEN("argus.grpc.token", "",
            "Bearer token required in 'authorization' metadata; several comma-separated = any of them (to rotate tokens); empty = no auth. Never logged."),
    GRPC_TLS_CERT_CHAIN("argus.grpc.tls-cert-chain", "", "PEM certificate chain for TLS; empty = plaintext."),
    GRPC_TLS_PRIVATE_KEY("argus.grpc.tls-private-key", "", "PEM (PKCS#8) private key for TLS."),
    GRPC_KEEPALIVE_TIME_MS("argus.grpc.keepalive-time-ms", "120000", "Server keepalive ping interval."),
    GRPC_KEEPALIVE_TIMEOUT_MS("argus.grpc.keepalive-timeout-ms", "20000", "Keepalive ping timeout."),
    GRPC_PERMIT_KEEPALIVE_TIME_MS("argus.grpc.permit-keepalive-time-ms", "30000", "Most frequent client keepalive pings allowed."),
    GRPC_BACKEND_TARGET("argus.grpc-backend.target", "", "For backend grpc: the other Argus, host:port."),
    GRPC_BACKEND_DEADLINE_MS("argus.grpc-backend.deadline-ms", "30000", "For backend grpc: deadline per call."),
    GRPC_BACKEND_RETRIES("argus.grpc-backend.retries", "3", "For backend grpc: retries on UNAVAILABLE (0..4)."),
    GRPC_BACKEND_TOKEN("argus.grpc-backend.token", "", "For backend grpc: bearer token sent to the other Argus. Never logged."),
    GRPC_BACKEND_ALLOW_PLAINTEXT_TOKEN("argus.grpc-backend.allow-plaintext-token", "false",
            "For backend grpc: send the token without TLS to a host that is not loopback (off: that is a configuration error)."),
    GRPC_BACKEND_TLS("argus.grpc-backend.tls", "false", "For backend grpc: use TLS."),
    GRPC_BACKEND_TRUSTED_CERTS("argus.grpc-backend.trusted-certs", "", "For backend grpc: PEM CA certificates to trust; empty = the JVM's."),
    GRPC_BACKEND_MAX_MESSAGE_BYTES("argus.grpc-backend.max-message-bytes", "16777216", "For backend grpc: largest message sent or received."),
    TRACING_OTLP_ENDPOINT("argus.tracing.otlp-endpoint", "",
            "In argus serve: export spans to this OpenTelemetry collector over OTLP/HTTP with JSON (http://HOST:4318; /v1/traces is "
                    + "appended), service.name argus; empty = no export. W3C traceparent is accepted, answered and sent on to the "
                    + "remote backends either way."),
    TRACING_QUEUE_SIZE("argus.tracing.queue-size", "2048",
            "Spans waiting for export at most; past it they are dropped and counted (a warning a minute), never waited for."),
    LOG_FORMAT("argus.log.format", "text",
            "text (one line: time, level, logger, message) or json (one object a line: time, level, logger, message, thread, "
                    + "exception, trace_id where the line names one), on stderr.");

    private final String name;
    private final String defaultValue;
    private final String description;

    Key(String name, String defaultValue, String description) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return name;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** {@code argus.onnx.intra-op-threads} -> {@code ARGUS_ONNX_INTRA_OP_THREADS}. */
    public String envName() {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public boolean secret() {
        return this == SERVER_ADMIN_TOKENS || this == HUB_TOKEN || this == GRPC_TOKEN || this == GRPC_BACKEND_TOKEN || this == REST_AUTH_TOKENS || this == CLOUDFLARE_API_TOKEN;
    }

    public static Optional<Key> byName(String name) {
        return Arrays.stream(values()).filter(k -> k.name.equals(name)).findFirst();
    }
}
