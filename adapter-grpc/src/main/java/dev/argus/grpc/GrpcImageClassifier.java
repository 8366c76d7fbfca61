package dev.argus.grpc;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.TraceContext;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyBatchRequest;
import dev.argus.grpc.v1.ClassifyBatchResponse;
import dev.argus.grpc.v1.GetModelRequest;
import dev.argus.grpc.v1.Image;
import dev.argus.grpc.v1.ImageOutcome;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.Span;
import dev.argus.ports.service.Tracing;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code grpc} backend: classifies by calling another Argus over gRPC ({@code argus.v1.Classifier}). Each
 * {@link #classify} is one ClassifyBatch call (several when the images do not fit one message), with the configured
 * deadline, retried on UNAVAILABLE by gRPC's retry policy. Remote statuses come back as the {@link ArgusException}s they
 * stand for. {@link #info()} asks GetModel once and caches the answer. A traced request's call is a client span, child of
 * the request's, sent on as {@code traceparent} (and {@code tracestate}) metadata.
 */
public final class GrpcImageClassifier implements ImageClassifier {
    /** The backend name this classifier reports. */
    public static final String BACKEND = "grpc";
    /** Room left in a message for everything but the image bytes. */
    private static final int MESSAGE_OVERHEAD = 64 * 1024;

    private final ManagedChannel channel;
    private final ClassifierGrpc.ClassifierBlockingStub stub;
    private final GrpcClientConfig config;
    private final Tracing tracing;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ModelInfo info;

    /** Opens a channel to {@code config.target()} (connects lazily, on the first call). */
    public GrpcImageClassifier(GrpcClientConfig config) {
        this(config, Tracing.OFF);
    }

    /** As above, recording the client spans of traced requests with {@code tracing}. */
    public GrpcImageClassifier(GrpcClientConfig config, Tracing tracing) {
        this(configure(Grpc.newChannelBuilder(config.target(), credentials(config)), config).build(), config, tracing);
    }

    /** Uses {@code channel} (configured with {@link #configure}); closing this classifier shuts the channel down. */
    GrpcImageClassifier(ManagedChannel channel, GrpcClientConfig config) {
        this(channel, config, Tracing.OFF);
    }

    GrpcImageClassifier(ManagedChannel channel, GrpcClientConfig config, Tracing tracing) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.config = Objects.requireNonNull(config, "config");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        ClassifierGrpc.ClassifierBlockingStub s = ClassifierGrpc.newBlockingStub(channel);
        if (config.token().isPresent()) {
            s = s.withCallCredentials(new BearerTokenCredentials(config.token().get()));
        }
        this.stub = s;
    }

    private static ChannelCredentials credentials(GrpcClientConfig config) {
        if (!config.tls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        if (config.trustedCerts().isPresent()) {
            try {
                tls.trustManager(config.trustedCerts().get().toFile());
            } catch (IOException e) {
                throw ArgusException.configuration("Cannot read the gRPC backend's trusted certificates "
                        + config.trustedCerts().get() + ": " + e.getMessage());
            }
        }
        return tls.build();
    }

    /** Message limits and the retry policy: up to {@code retries} more attempts on UNAVAILABLE, backoff 0.1 s .. 2 s. */
    static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder, GrpcClientConfig config) {
        builder.maxInboundMessageSize(config.maxMessageBytes())
                .userAgent("argus-grpc-backend");
        if (config.retries() == 0) {
            return builder.disableRetry();
        }
        Map<String, Object> retryPolicy = Map.of(
                "maxAttempts", (double) (config.retries() + 1),
                "initialBackoff", "0.1s",
                "maxBackoff", "2s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        Map<String, Object> methodConfig = Map.of(
                "name", List.of(Map.of("service", ClassifierGrpc.SERVICE_NAME)),
                "retryPolicy", retryPolicy);
        // Requests are buffered for retries: allow a whole message per call.
        long perRpc = config.maxMessageBytes() + (long) MESSAGE_OVERHEAD;
        return builder.defaultServiceConfig(Map.of("methodConfig", List.of(methodConfig)))
                .enableRetry()
                .maxRetryAttempts(config.retries() + 1)
                .perRpcBufferLimit(perRpc)
                .retryBufferSize(Math.max(perRpc * 4, 64L * 1024 * 1024));
    }

    @Override
    public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
        ensureOpen();
        List<ClassificationOutcome> out = new ArrayList<>(images.size());
        int budget = Math.max(1, config.maxMessageBytes() - MESSAGE_OVERHEAD);
        int start = 0;
        while (start < images.size()) {
            int end = start;
            long bytes = 0;
            do {
                bytes += images.get(end).length + 16L;
                end++;
            } while (end < images.size() && bytes + images.get(end).length + 16L <= budget);
            out.addAll(classifyChunk(images.subList(start, end), options));
            start = end;
        }
        return out;
    }

    private List<ClassificationOutcome> classifyChunk(List<byte[]> images, ClassifyOptions options) {
        ClassifyBatchRequest.Builder request = ClassifyBatchRequest.newBuilder()
                .setTopK(options.topK())
                .setLabelStyle(ProtoMapper.labelStyle(options.labelStyle()));
        for (byte[] image : images) {
            request.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(image)));
        }
        options.deadline().check();
        long left = options.deadline().remainingNanos();
        ClassifyBatchResponse response = options.trace().isPresent()
                ? tracedCall(options.trace().child(), request.build(), left)
                : call(stub, s -> s.classifyBatch(request.build()), left);
        if (response.getOutcomesCount() != images.size()) {
            throw new ArgusException(ErrorCode.REMOTE_FAILURE, "The Argus gRPC backend at " + config.target()
                    + " answered " + response.getOutcomesCount() + " outcomes for " + images.size() + " images.");
        }
        List<ClassificationOutcome> out = new ArrayList<>(images.size());
        for (ImageOutcome outcome : response.getOutcomesList()) {
            out.add(ProtoMapper.outcome(outcome, BACKEND));
        }
        return out;
    }

    @Override
    public ModelInfo info() {
        ModelInfo cached = info;
        if (cached == null) {
            ensureOpen();
            cached = ProtoMapper.modelInfo(call(s -> s.getModel(GetModelRequest.getDefaultInstance())), BACKEND,
                    config.target());
            info = cached;
        }
        return cached;
    }

    /** ClassifyBatch as the client span {@code span}: its traceparent sent along, the span recorded however it ends. */
    private ClassifyBatchResponse tracedCall(TraceContext span, ClassifyBatchRequest request, long requestNanos) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(TraceInterceptor.TRACEPARENT, span.traceparent());
        if (!span.traceState().isEmpty()) {
            headers.put(TraceInterceptor.TRACESTATE, span.traceState());
        }
        ClassifierGrpc.ClassifierBlockingStub traced = stub.withInterceptors(
                io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        long start = System.nanoTime();
        io.grpc.Status status = io.grpc.Status.UNKNOWN;
        try {
            ClassifyBatchResponse response = call(traced, s -> s.classifyBatch(request), requestNanos);
            status = io.grpc.Status.OK;
            return response;
        } catch (ArgusException e) {
            status = e.getCause() instanceof StatusRuntimeException sre ? sre.getStatus() : io.grpc.Status.UNKNOWN;
            throw e;
        } finally {
            if (tracing.recording(span)) {
                String method = ClassifierGrpc.getClassifyBatchMethod().getFullMethodName();
                tracing.record(span, method, Span.Kind.CLIENT, start, System.nanoTime(), Map.of("rpc.system", "grpc",
                                "rpc.service", ClassifierGrpc.SERVICE_NAME, "rpc.method", "ClassifyBatch",
                                "server.address", config.target(), "rpc.grpc.status_code", (long) status.getCode().value()),
                        !status.isOk(), status.isOk() ? "" : status.getCode().toString());
            }
        }
    }

    private <T> T call(java.util.function.Function<ClassifierGrpc.ClassifierBlockingStub, T> rpc) {
        return call(stub, rpc, Long.MAX_VALUE);
    }

    /** One call, within the configured deadline and {@code requestNanos} (what the request's own deadline leaves). */
    private <T> T call(ClassifierGrpc.ClassifierBlockingStub stub,
                       java.util.function.Function<ClassifierGrpc.ClassifierBlockingStub, T> rpc, long requestNanos) {
        try {
            long nanos = Math.min(config.deadline().toNanos(), requestNanos);
            return rpc.apply(stub.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS));
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.toArgusException(e, config.target());
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The gRPC backend classifier (" + config.target()
                    + ") has been closed.");
        }
    }

    /** Shuts the channel down, waiting up to 5 s for calls in flight. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "GrpcImageClassifier[" + config + "]";
    }
}
