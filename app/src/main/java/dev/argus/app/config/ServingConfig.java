package dev.argus.app.config;

import dev.argus.grpc.GrpcConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code argus serve} needs beyond the classifier: warm-up, shutdown grace and each server's settings. Built
 * from the same {@link Settings}, validated the same way.
 *
 * @param warmupRounds  classifications run before reporting ready
 * @param shutdownGrace how long in-flight requests may finish after SIGTERM
 * @param grpc          the gRPC server, when enabled
 */
public record ServingConfig(int warmupRounds, Duration shutdownGrace, Optional<GrpcConfig> grpc) {

    public static ServingConfig from(Settings s) {
        ConfigReader r = new ConfigReader(s);
        Duration grace = r.millis(Key.SERVER_SHUTDOWN_GRACE_MS, 0, 600_000);
        return new ServingConfig(r.intIn(Key.SERVER_WARMUP_ROUNDS, 0, 1000), grace,
                r.bool(Key.GRPC_ENABLED) ? Optional.of(grpc(r, grace)) : Optional.empty());
    }

    private static GrpcConfig grpc(ConfigReader r, Duration grace) {
        String host = r.string(Key.GRPC_HOST);
        int port = r.intIn(Key.GRPC_PORT, 0, 65535);
        int maxBytes = r.intIn(Key.GRPC_MAX_MESSAGE_BYTES, 1024, Integer.MAX_VALUE);
        int maxCalls = r.intIn(Key.GRPC_MAX_CONCURRENT_CALLS, 1, 100_000);
        Duration keepAlive = r.millis(Key.GRPC_KEEPALIVE_TIME_MS, 1, 86_400_000);
        Duration keepAliveTimeout = r.millis(Key.GRPC_KEEPALIVE_TIMEOUT_MS, 1, 86_400_000);
        Duration permit = r.millis(Key.GRPC_PERMIT_KEEPALIVE_TIME_MS, 0, 86_400_000);
        return r.wrap(Key.GRPC_TLS_CERT_CHAIN, () -> new GrpcConfig(host, port, maxBytes, maxCalls, r.optional(Key.GRPC_TOKEN),
                r.path(Key.GRPC_TLS_CERT_CHAIN), r.path(Key.GRPC_TLS_PRIVATE_KEY), keepAlive, keepAliveTimeout, permit, grace));
    }
}
