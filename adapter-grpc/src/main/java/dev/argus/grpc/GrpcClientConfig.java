package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the {@code grpc} backend reaches another Argus. Immutable and validated; {@link #toString()} never shows the
 * token.
 *
 * @param target          {@code host:port} of the remote Argus gRPC server (any gRPC target URI works too)
 * @param deadline        deadline of each call, covering retries
 * @param retries         extra attempts after a call fails with UNAVAILABLE (0..4), exponential backoff from 100 ms
 * @param token           bearer token sent as {@code authorization: Bearer <token>}, when the remote wants one
 * @param tls             use TLS
 * @param trustedCerts    PEM certificates to trust for TLS (e.g. a self-signed server certificate); empty = the JVM's
 *                        default trust store
 * @param maxMessageBytes largest request message to send per call (the remote's limit, 16 MiB by default); a batch
 *                        bigger than this is split into several calls
 */
public record GrpcClientConfig(String target, Duration deadline, int retries, Optional<String> token, boolean tls,
                               Optional<Path> trustedCerts, int maxMessageBytes) {

    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;
    public static final int MAX_RETRIES = 4;

    public GrpcClientConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(trustedCerts, "trustedCerts");
        if (target.isBlank()) {
            throw ArgusException.configuration("The gRPC backend needs a target host:port of another Argus.");
        }
        if (deadline.isZero() || deadline.isNegative()) {
            throw ArgusException.configuration("gRPC backend deadline must be positive, got " + deadline + ".");
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw ArgusException.configuration("gRPC backend retries must be 0.." + MAX_RETRIES + ", got " + retries + ".");
        }
        if (token.isPresent() && token.get().isBlank()) {
            token = Optional.empty();
        }
        if (trustedCerts.isPresent() && !Files.isReadable(trustedCerts.get())) {
            throw ArgusException.configuration("gRPC backend trusted certificate file " + trustedCerts.get()
                    + " does not exist or is not readable.");
        }
        if (trustedCerts.isPresent() && !tls) {
            throw ArgusException.configuration("gRPC backend trusted certificates are set but TLS is off.");
        }
        if (maxMessageBytes < 64 * 1024) {
            throw ArgusException.configuration("gRPC backend max message size must be at least 65536 bytes, got "
                    + maxMessageBytes + ".");
        }
    }

    /** Plaintext to {@code target}, 30 s deadline, 3 retries on UNAVAILABLE, no token, 16 MiB messages. */
    public static GrpcClientConfig of(String target) {
        return new GrpcClientConfig(target, DEFAULT_DEADLINE, DEFAULT_RETRIES, Optional.empty(), false, Optional.empty(),
                GrpcConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    }

    public GrpcClientConfig withDeadline(Duration d) {
        return new GrpcClientConfig(target, d, retries, token, tls, trustedCerts, maxMessageBytes);
    }

    public GrpcClientConfig withRetries(int n) {
        return new GrpcClientConfig(target, deadline, n, token, tls, trustedCerts, maxMessageBytes);
    }

    public GrpcClientConfig withToken(String t) {
        return new GrpcClientConfig(target, deadline, retries, Optional.ofNullable(t), tls, trustedCerts, maxMessageBytes);
    }

    /** TLS, trusting {@code certs} (PEM) or, when null, the JVM's default trust store. */
    public GrpcClientConfig withTls(Path certs) {
        return new GrpcClientConfig(target, deadline, retries, token, true, Optional.ofNullable(certs), maxMessageBytes);
    }

    public GrpcClientConfig withMaxMessageBytes(int bytes) {
        return new GrpcClientConfig(target, deadline, retries, token, tls, trustedCerts, bytes);
    }

    @Override
    public String toString() {
        return "GrpcClientConfig[target=" + target + ", deadline=" + deadline + ", retries=" + retries
                + ", token=" + (token.isPresent() ? "****" : "none") + ", tls=" + tls
                + ", trustedCerts=" + trustedCerts.map(Path::toString).orElse("default") + ", maxMessageBytes="
                + maxMessageBytes + "]";
    }
}
