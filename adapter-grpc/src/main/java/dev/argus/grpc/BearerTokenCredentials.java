package dev.argus.grpc;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Client side of {@link BearerTokenInterceptor}: adds {@code authorization: Bearer <token>} to every call. */
final class BearerTokenCredentials extends CallCredentials {
    private final String token;

    BearerTokenCredentials(String token) {
        this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
    }

    @Override
    public String toString() {
        return "BearerTokenCredentials[****]";
    }
}
