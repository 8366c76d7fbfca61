package dev.argus.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Model control's guard: the methods named need {@code authorization: Bearer <admin token>}, one of the admin tokens
 * (kept as SHA-256 digests, compared in constant time, never logged); with none configured they are refused
 * ({@code PERMISSION_DENIED}). Other methods pass.
 */
final class AdminTokenInterceptor implements ServerInterceptor {
    private static final String PREFIX = "Bearer ";
    private final Set<String> methods;
    private final List<byte[]> digests;

    AdminTokenInterceptor(Set<String> methods, Set<String> tokens) {
        this.methods = Set.copyOf(methods);
        this.digests = tokens.stream().map(BearerTokenInterceptor::sha256).toList();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!methods.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        if (digests.isEmpty()) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("Model control needs an admin token: set "
                    + "argus.server.admin-tokens and send metadata 'authorization: Bearer <admin token>'."));
        }
        String header = headers.get(BearerTokenInterceptor.AUTHORIZATION);
        boolean ok = false;
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            byte[] given = BearerTokenInterceptor.sha256(header.substring(PREFIX.length()).trim());
            for (byte[] d : digests) {
                ok |= MessageDigest.isEqual(given, d);
            }
        }
        if (!ok) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("Model control needs metadata 'authorization: Bearer "
                    + "<admin token>' (argus.server.admin-tokens)."));
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
