package dev.argus.grpc;

import dev.argus.ports.service.Admission;
import dev.argus.ports.service.MemoryBudget;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.service.Tracing;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running gRPC server: the Classifier service (behind the bearer-token check when configured), the standard health
 * service {@code grpc.health.v1.Health} and server reflection (v1 and v1alpha). Health answers NOT_SERVING until the
 * application calls {@link #setServing(boolean) setServing(true)} after warm-up.
 *
 * <p>{@link #close()} shuts down in stages: health goes NOT_SERVING, new calls are refused, in-flight calls get the
 * configured grace period, then whatever is left is cancelled.
 */
public final class GrpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GrpcServer.class.getName());
    /** The service name health reports for, besides the whole server ({@code ""}). */
    public static final String SERVICE_NAME = ClassifierGrpc.SERVICE_NAME;
    /** HTTP/2 flow-control window per stream and per connection. */
    static final int FLOW_CONTROL_WINDOW = 1 << 20;
    /** The largest socket read buffer. */
    static final int READ_BUFFER_BYTES = 16 * 1024;

    private final Server server;
    private final HealthStatusManager health;
    private final ExecutorService executor;
    private final GrpcConfig config;
    private final MemoryBudget memory;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the server is ready, for the Open Inference Protocol's ServerReady and ModelReady. */
    private final AtomicBoolean serving;
    private final GrpcServerMetrics metrics;

    private GrpcServer(Server server, HealthStatusManager health, ExecutorService executor, GrpcConfig config,
                       MemoryBudget memory, AtomicBoolean serving, GrpcServerMetrics metrics) {
        this.metrics = metrics;
        this.memory = memory;
        this.server = server;
        this.health = health;
        this.serving = serving;
        this.executor = executor;
        this.config = config;
    }

    /** Binds {@code config.host():config.port()} and starts serving (health NOT_SERVING until {@link #setServing}). */
    public static GrpcServer start(GrpcConfig config, ClassifyImageUseCase useCase) {
        return start(config, useCase, null);
    }

    /** As above, admitting each call into the server-wide bound {@code shared} as well (null: none). */
    public static GrpcServer start(GrpcConfig config, ClassifyImageUseCase useCase, Admission.Shared shared) {
        return start(config, single(useCase), shared);
    }

    private static ModelCatalog single(ClassifyImageUseCase useCase) {
        return ModelCatalog.alone(useCase, java.util.Optional.empty(), java.util.List.of(), () -> true);
    }

    /**
     * Serves the models of {@code catalog} (each call's {@code model} field chooses one), admitting each call into the
     * server-wide bound {@code shared} as well (null: none).
     */
    public static GrpcServer start(GrpcConfig config, ModelCatalog catalog, Admission.Shared shared) {
        return start(config, catalog, shared, null, java.util.Set.of());
    }

    /**
     * As above, with model control: {@code argus.v1.ModelRepository}'s Load and Unload call {@code control} (null: no
     * repository) for callers bearing one of {@code adminTokens} (empty: refused).
     */
    public static GrpcServer start(GrpcConfig config, ModelCatalog catalog, Admission.Shared shared,
                                   dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens) {
        return start(config, catalog, shared, control, adminTokens, Tracing.OFF);
    }

    /**
     * As above, tracing calls with {@code tracing}: a call with {@code traceparent} metadata (or every call, when spans
     * are exported) gets a server span, answered as {@code traceparent} and carried with the request to the pipeline
     * and the remote backends.
     */
    public static GrpcServer start(GrpcConfig config, ModelCatalog catalog, Admission.Shared shared,
                                   dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens,
                                   Tracing tracing) {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address, credentials(config))
                .keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(config.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(config.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .maxConcurrentCallsPerConnection(config.maxCallsPerConnection())
                // A fixed window (grpc-java otherwise grows it by measuring bandwidth): what a call that is not yet
                // admitted may have sent ahead, and so what waiting calls cost, stays at 1 MiB each.
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                // Read buffers of at most 16 KiB: a call that is not yet admitted keeps the slices of the buffers its
                // frames arrived in, and a slice pins its whole buffer; with buffers grown to 64 KiB, a few dozen
                // waiting calls pinned Netty's direct memory (the heap size by default) to the limit.
                .withChildOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.RCVBUF_ALLOCATOR,
                        new io.grpc.netty.shaded.io.netty.channel.AdaptiveRecvByteBufAllocator(64, 4096, READ_BUFFER_BYTES))
                .maxConnectionAge(config.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(config.shutdownGrace().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        GrpcServer server = assemble(builder, config, catalog, shared, control, adminTokens, tracing);
        LOG.log(Level.INFO, "gRPC server listening on {0}:{1} ({2}, max message {3} bytes, {4} concurrent calls, "
                        + "{5} MiB of messages in flight, auth {6})",
                config.host(), String.valueOf(server.port()), config.tls() ? "TLS" : "plaintext",
                String.valueOf(config.maxInboundMessageBytes()), config.maxConcurrentCalls(),
                String.valueOf(config.maxBytesInFlight() >> 20),
                config.authEnabled() ? config.authTokens().size() + " bearer token(s)" : "off");
        return server;
    }

    /** The same server on another transport (tests: in-process). TLS, address and keepalive settings do not apply. */
    static GrpcServer start(ServerBuilder<?> transport, GrpcConfig config, ClassifyImageUseCase useCase) {
        return start(transport, config, useCase, Tracing.OFF);
    }

    /** As above, with tracing (tests: in-process). */
    static GrpcServer start(ServerBuilder<?> transport, GrpcConfig config, ClassifyImageUseCase useCase, Tracing tracing) {
        return assemble(transport, config, single(useCase), null, null, java.util.Set.of(), tracing);
    }

    private static ServerCredentials credentials(GrpcConfig config) {
        if (!config.tls()) {
            return io.grpc.InsecureServerCredentials.create();
        }
        try {
            return TlsServerCredentials.create(config.tlsCertChain().get().toFile(), config.tlsPrivateKey().get().toFile());
        } catch (IOException | IllegalArgumentException e) {
            throw ArgusException.configuration("Cannot use the gRPC TLS certificate " + config.tlsCertChain().get()
                    + " and key " + config.tlsPrivateKey().get() + ": " + e.getMessage()
                    + " (PEM certificate chain and PEM PKCS#8 private key expected)");
        }
    }

    /** The same server on another transport with a model catalog and control (tests: in-process). */
    static GrpcServer start(ServerBuilder<?> transport, GrpcConfig config, ModelCatalog catalog,
                            dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens) {
        return assemble(transport, config, catalog, null, control, adminTokens, Tracing.OFF);
    }

    private static GrpcServer assemble(ServerBuilder<?> builder, GrpcConfig config, ModelCatalog catalog,
                                       Admission.Shared shared, dev.argus.ports.in.ModelControl control,
                                       java.util.Set<String> adminTokens, Tracing tracing) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
        // A fixed number of threads: admitted calls (at most maxConcurrentCalls) run here; callbacks of refused or
        // waiting calls are short and queue behind them.
        int threads = config.maxConcurrentCalls() + 16;
        java.util.concurrent.ThreadPoolExecutor executor = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 60,
                TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), named());
        executor.allowCoreThreadTimeOut(true);
        ServerServiceDefinition classifier = new GrpcClassificationService(catalog, config.maxInboundMessageBytes())
                .bindService();
        classifier = MalformedMessageGuard.install(classifier);
        Admission admission = new Admission(new Admission.Limits("gRPC calls", config.maxConcurrentCalls(),
                "argus.grpc.max-concurrent-calls", config.maxBytesInFlight(), "argus.grpc.max-bytes-in-flight",
                java.time.Duration.ZERO, null), shared);
        MemoryBudget memory = admission.memory();
        classifier = ServerInterceptors.intercept(classifier, new CallAdmission(admission, config.maxInboundMessageBytes(), executor,
                java.util.Set.of(ClassifierGrpc.getClassifyMethod().getFullMethodName(),
                        ClassifierGrpc.getClassifyBatchMethod().getFullMethodName(),
                        ClassifierGrpc.getClassifyStreamMethod().getFullMethodName()),
                ClassifierGrpc.getClassifyBatchMethod().getFullMethodName()));
        ServerServiceDefinition repository = new GrpcRepositoryService(catalog, control).bindService();
        java.util.Set<String> repositoryControl = java.util.Set.of(
                dev.argus.grpc.v1.ModelRepositoryGrpc.getLoadMethod().getFullMethodName(),
                dev.argus.grpc.v1.ModelRepositoryGrpc.getUnloadMethod().getFullMethodName());
        if (config.authEnabled()) {
            BearerTokenInterceptor inference = new BearerTokenInterceptor(config.authTokens());
            classifier = ServerInterceptors.intercept(classifier, inference);
            // everything needs the inference token but load and unload, which take the admin token instead
            repository = ServerInterceptors.intercept(repository, GrpcCalls.except(repositoryControl, inference));
        }
        // the Open Inference Protocol (Triton's and KServe's service) over the same models, admission and tokens
        AtomicBoolean ready = new AtomicBoolean();
        ServerServiceDefinition oip = MalformedMessageGuard.install(new InferenceProtocolService(catalog, control, ready::get,
                GrpcClassificationService.MAX_BATCH_IMAGES).bindService());
        oip = ServerInterceptors.intercept(oip, new CallAdmission(admission, config.maxInboundMessageBytes(), executor,
                java.util.Set.of(dev.argus.grpc.inference.GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName(),
                        dev.argus.grpc.inference.GRPCInferenceServiceGrpc.getModelStreamInferMethod().getFullMethodName()), null));
        java.util.Set<String> oipControl = java.util.Set.of(
                dev.argus.grpc.inference.GRPCInferenceServiceGrpc.getRepositoryModelLoadMethod().getFullMethodName(),
                dev.argus.grpc.inference.GRPCInferenceServiceGrpc.getRepositoryModelUnloadMethod().getFullMethodName());
        if (config.authEnabled()) {
            BearerTokenInterceptor inference = new BearerTokenInterceptor(config.authTokens());
            oip = ServerInterceptors.intercept(oip, GrpcCalls.except(oipControl, inference));
        }
        oip = ServerInterceptors.intercept(oip, new AdminTokenInterceptor(oipControl, adminTokens));
        repository = ServerInterceptors.intercept(repository, new AdminTokenInterceptor(repositoryControl, adminTokens));
        // outermost: refused calls get their span and traceparent too
        TraceInterceptor trace = new TraceInterceptor(tracing);
        classifier = ServerInterceptors.intercept(classifier, trace);
        repository = ServerInterceptors.intercept(repository, trace);
        oip = ServerInterceptors.intercept(oip, trace);
        // every call counted, outside the services' own interceptors (the token check, admission)
        GrpcServerMetrics metrics = new GrpcServerMetrics();
        builder.intercept(new CallMetrics(metrics));
        builder.executor(executor)
                .maxInboundMessageSize(config.maxInboundMessageBytes())
                .addService(classifier)
                .addService(repository)
                .addService(oip)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(reflectionV1Alpha());
        try {
            return new GrpcServer(builder.build().start(), health, executor, config, memory, ready, metrics);
        } catch (IOException e) {
            executor.shutdownNow();
            throw ArgusException.configuration("Cannot start the gRPC server on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage() + " (port in use? set argus.grpc.port)");
        }
    }

    /** grpcurl and older tools still ask the v1alpha reflection service. */
    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService reflectionV1Alpha() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    private static ThreadFactory named() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "argus-grpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The bound port (the chosen one when configured as 0); -1 on the in-process transport. */
    public int port() {
        return server.getPort();
    }

    /** Health for the whole server and for {@code argus.v1.Classifier}: call with true once the model is warm. */
    public void setServing(boolean serving) {
        if (closed.get()) {
            return;
        }
        this.serving.set(serving);
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        health.setStatus(SERVICE_NAME, status);
    }

    /** Blocks until the server has terminated (for a foreground {@code argus serve}). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    public GrpcConfig config() {
        return config;
    }

    /** The calls this server has had, by method and status: for the app's metrics. */
    public GrpcServerMetrics metrics() {
        return metrics;
    }

    /** Message memory granted to calls now, in bytes (for tests and metrics). */
    public long messageBytesInFlight() {
        return memory.used();
    }

    /** Staged shutdown: NOT_SERVING, refuse new calls, wait up to the grace period, cancel the rest. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "gRPC calls still running after the {0} grace period: cancelling them",
                        config.shutdownGrace());
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
    }
}
