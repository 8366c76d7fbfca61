package dev.argus.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;

/**
 * Answers a request message that is not valid protobuf with {@code INVALID_ARGUMENT}. gRPC Java parses messages
 * before any interceptor sees them and turns a parse failure into {@code UNKNOWN "Application error processing RPC"}
 * with a SEVERE log line per call; here the service receives raw messages ({@link ServerInterceptors#useInputStreamMessages})
 * and parsing happens inside this interceptor's listener, where the failure can be answered as the client's error.
 */
final class MalformedMessageGuard implements ServerInterceptor {
    private MalformedMessageGuard() {
    }

    /** {@code service} with its requests parsed under this guard. */
    static ServerServiceDefinition install(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), new MalformedMessageGuard());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    InvalidProtocolBufferException bad = parseFailure(e);
                    if (bad == null) {
                        throw e;
                    }
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("The request is not a valid "
                            + call.getMethodDescriptor().getFullMethodName() + " message (" + bad.getMessage()
                            + "). Send a serialised request message of the service's .proto."), new Metadata());
                } finally {
                    if (message instanceof InputStream in) {
                        try {
                            in.close();
                        } catch (java.io.IOException ignored) {
                            // in-memory
                        }
                    }
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!refused) {
                    super.onReady();
                }
            }
        };
    }

    /** The protobuf parse error behind {@code e}, or null when {@code e} is something else. */
    private static InvalidProtocolBufferException parseFailure(StatusRuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidProtocolBufferException bad) {
                return bad;
            }
        }
        return null;
    }
}
