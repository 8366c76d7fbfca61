package dev.argus.grpc;

import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import dev.argus.ports.service.Tracing;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * W3C trace context for gRPC calls: a call with {@code traceparent} metadata (or every call, when spans are exported)
 * gets a server span. Its context is in the call's {@link Context} ({@link GrpcCalls#callTrace()}), from which the
 * services put it in each request's options; its {@code traceparent} goes back in the response headers (in the
 * trailers of a call answered without headers); and it is recorded when the call closes, as OpenTelemetry's RPC
 * conventions describe it. Without the header and without export, the call passes untouched.
 */
final class TraceInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACESTATE = Metadata.Key.of("tracestate", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<TraceContext> TRACE = Context.keyWithDefault("argus.trace", TraceContext.NONE);
    /** The statuses that make a server span an error (OpenTelemetry's gRPC conventions). */
    private static final Set<Status.Code> SERVER_ERRORS = EnumSet.of(Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

    private final Tracing tracing;

    TraceInterceptor(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String traceparent = headers.get(TRACEPARENT);
        if (traceparent == null && !tracing.exporting()) {
            return next.startCall(call, headers);
        }
        TraceContext span = tracing.serverSpan(traceparent, traceState(headers));
        long start = System.nanoTime();
        ServerCall<Q, R> traced = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private volatile boolean headersSent;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(TRACEPARENT, span.traceparent());
                headersSent = true;
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                if (!headersSent) {
                    trailers.put(TRACEPARENT, span.traceparent());
                }
                if (tracing.recording(span)) {
                    record(span, call.getMethodDescriptor().getFullMethodName(), status, start);
                }
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(TRACE, span), traced, headers, next);
    }

    private void record(TraceContext span, String fullMethod, Status status, long start) {
        String service = io.grpc.MethodDescriptor.extractFullServiceName(fullMethod);
        String method = service == null ? fullMethod : fullMethod.substring(service.length() + 1);
        boolean error = SERVER_ERRORS.contains(status.getCode());
        tracing.record(span, fullMethod, Span.Kind.SERVER, start, System.nanoTime(), Map.of("rpc.system", "grpc",
                        "rpc.service", service == null ? "" : service, "rpc.method", method,
                        "rpc.grpc.status_code", (long) status.getCode().value()),
                error, error ? status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()) : "");
    }

    /** Every {@code tracestate} entry, joined as one list. */
    private static String traceState(Metadata headers) {
        Iterable<String> all = headers.getAll(TRACESTATE);
        return all == null ? null : String.join(",", all);
    }
}
