package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import io.grpc.Context;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every gRPC service of Argus does the same way at its boundary. */
final class GrpcCalls {
    private static final System.Logger LOG = System.getLogger(GrpcCalls.class.getName());

    private GrpcCalls() {
    }

    /**
     * The call's deadline as the pipeline's: the client's gRPC deadline, if it set one, and the call's cancellation
     * (the client went away), so that an image of a call given up never reaches the engine.
     */
    static Deadline callDeadline() {
        Context context = Context.current();
        io.grpc.Deadline d = context.getDeadline();
        Deadline mine = d == null ? Deadline.none()
                : Deadline.at(System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS),
                        java.time.Duration.ofNanos(Math.max(0, d.timeRemaining(TimeUnit.NANOSECONDS))));
        return mine.orWhen(context::isCancelled);
    }

    /** The call's server span ({@link TraceInterceptor}), {@code NONE} when it is not traced. */
    static dev.argus.domain.TraceContext callTrace() {
        return TraceInterceptor.TRACE.get();
    }

    /** Runs engine work (the call was admitted before it got here), unless the caller has already given up. */
    static <T> T unlessCancelled(Supplier<T> work) {
        Context context = Context.current();
        if (context.isCancelled()) {
            throw GrpcErrors.notStarted(context);
        }
        return work.get();
    }

    /** The adapter boundary: every outcome of a unary call reaches the client through the observer. */
    static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (ArgusException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "gRPC call failed unexpectedly", e);
            out.onError(GrpcErrors.internal());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    /** {@code interceptor} for every method but those named (which take the admin token instead). */
    static ServerInterceptor except(Set<String> methods, ServerInterceptor interceptor) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, io.grpc.Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                return methods.contains(call.getMethodDescriptor().getFullMethodName())
                        ? next.startCall(call, headers) : interceptor.interceptCall(call, headers, next);
            }
        };
    }
}
