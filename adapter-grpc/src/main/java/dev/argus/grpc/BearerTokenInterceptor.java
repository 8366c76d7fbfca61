package dev.argus.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a call through only with metadata {@code authorization: Bearer <token>}, the token one of those configured
 * (several: tokens can be rotated without a gap). Tokens are compared as SHA-256 digests with a constant-time
 * comparison against every configured one, without an early exit, so neither content nor length nor which token
 * matched leaks through timing; tokens are never logged or echoed. Installed on the Classifier service only: health
 * and reflection stay open.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";

    private final java.util.List<byte[]> expected;

    BearerTokenInterceptor(java.util.Set<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no tokens");
        }
        this.expected = tokens.stream().map(BearerTokenInterceptor::sha256).toList();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return refuse(call, "Missing credentials: send metadata 'authorization: Bearer <token>'.");
        }
        byte[] given = sha256(header.substring(PREFIX.length()).trim());
        boolean ok = false;
        for (byte[] e : expected) {
            ok |= MessageDigest.isEqual(given, e);
        }
        if (!ok) {
            return refuse(call, "Invalid bearer token.");
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
