package dev.argus.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call into {@link GrpcServerMetrics}: installed on the server builder, outside every service's own
 * interceptors, so that calls refused by the token check or by admission are counted with the status they got.
 */
final class CallMetrics implements ServerInterceptor {
    private final GrpcServerMetrics metrics;

    CallMetrics(GrpcServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        GrpcServerMetrics.Counts counts = metrics.of(call.getMethodDescriptor());
        Counted<Q, R> counted = new Counted<>(call, counts, Context.current());
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(counted, headers);
        } catch (RuntimeException e) { // the server answers UNKNOWN and closes the stream past this call's close()
            counted.finish(Status.Code.UNKNOWN);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                counts.received();
                super.onMessage(message);
            }

            @Override
            public void onCancel() {
                counted.finish(Status.Code.CANCELLED); // or DEADLINE_EXCEEDED: finish() asks the context
                super.onCancel();
            }
        };
    }

    /**
     * The call as the services see it: what it sends and how it ends is counted, once. A call the client gave up (its
     * deadline passed, or it cancelled) counts as the client saw it, DEADLINE_EXCEEDED or CANCELLED, whatever its
     * handler answered late; it stays in flight until its handler lets go (gRPC runs a call's callbacks one at a time,
     * so the cancellation waits for the handler).
     */
    private static final class Counted<Q, R> extends SimpleForwardingServerCall<Q, R> {
        private final GrpcServerMetrics.Counts counts;
        private final Context context;
        private final long start = System.nanoTime();
        private final AtomicBoolean finished = new AtomicBoolean();

        Counted(ServerCall<Q, R> call, GrpcServerMetrics.Counts counts, Context context) {
            super(call);
            this.counts = counts;
            this.context = context;
            counts.started();
        }

        @Override
        public void sendMessage(R message) {
            counts.sent();
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            finish(status.getCode());
            super.close(status, trailers);
        }

        void finish(Status.Code code) {
            if (finished.compareAndSet(false, true)) {
                counts.handled(context.isCancelled() ? givenUp() : code, System.nanoTime() - start);
            }
        }

        private Status.Code givenUp() {
            Deadline deadline = context.getDeadline();
            return deadline != null && deadline.isExpired() ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED;
        }
    }
}
