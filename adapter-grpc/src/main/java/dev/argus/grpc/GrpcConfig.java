package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the gRPC server listens. Immutable and validated on construction; {@link #toString()} never shows the token.
 *
 * @param host                   address to bind ({@code 0.0.0.0} = all interfaces)
 * @param port                   TCP port; 0 picks a free one ({@link GrpcServer#port()} tells which)
 * @param maxInboundMessageBytes largest request message accepted. Default 16 MiB so that a 10 MiB image plus
 *                               protobuf overhead fits; gRPC's own default (4 MiB) would refuse ordinary photos
 * @param maxConcurrentCalls     inference calls served at once (unary, batch, and each stream message); one more
 *                               fails at once with RESOURCE_EXHAUSTED instead of queueing without bound
 * @param authTokens             when not empty, every Classifier call needs metadata {@code authorization: Bearer
 *                               <token>} with one of them (several: tokens can be rotated without a gap); health and
 *                               reflection stay open. Blank entries are dropped
 * @param tlsCertChain           PEM certificate chain; TLS is on when this and {@code tlsPrivateKey} are set
 * @param tlsPrivateKey          PEM private key (PKCS#8) for the certificate chain
 * @param keepAliveTime          how often the server pings an idle connection
 * @param keepAliveTimeout       how long it waits for the ping's answer before closing the connection
 * @param permitKeepAliveTime    the most frequent client keepalive pings allowed; faster clients are disconnected
 * @param shutdownGrace          how long in-flight calls get to finish at shutdown before they are cancelled
 * @param maxBytesInFlight       memory request messages may hold at once across all calls and connections; a call is
 *                               granted twice the largest message before its message is read, and waits (unread) while
 *                               others hold the memory. At least twice {@code maxInboundMessageBytes}
 * @param maxCallsPerConnection  calls one connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS)
 * @param maxConnectionAge       connections are closed (gracefully) after this long, so that none holds its share for ever
 */
public record GrpcConfig(String host, int port, int maxInboundMessageBytes, int maxConcurrentCalls,
                         Set<String> authTokens, Optional<Path> tlsCertChain, Optional<Path> tlsPrivateKey,
                         Duration keepAliveTime, Duration keepAliveTimeout, Duration permitKeepAliveTime,
                         Duration shutdownGrace, long maxBytesInFlight, int maxCallsPerConnection, Duration maxConnectionAge) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 50051;
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 64;
    public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 32;
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(30);
    /** Share of the JVM's maximum heap that request messages may hold by default. */
    public static final double DEFAULT_MESSAGE_HEAP_SHARE = 0.1;

    public GrpcConfig {
        Objects.requireNonNull(host, "host");
        authTokens = tokens(Objects.requireNonNull(authTokens, "authTokens"));
        Objects.requireNonNull(tlsCertChain, "tlsCertChain");
        Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
        if (host.isBlank()) {
            throw ArgusException.configuration("gRPC host must not be blank (use 0.0.0.0 for all interfaces).");
        }
        if (port < 0 || port > 65535) {
            throw ArgusException.configuration("gRPC port must be 0..65535 (0 = any free port), got " + port + ".");
        }
        if (maxInboundMessageBytes < 1024) {
            throw ArgusException.configuration("gRPC max inbound message size must be at least 1024 bytes, got "
                    + maxInboundMessageBytes + ".");
        }
        if (maxConcurrentCalls < 1) {
            throw ArgusException.configuration("gRPC max concurrent calls must be at least 1, got " + maxConcurrentCalls + ".");
        }
        if (tlsCertChain.isPresent() != tlsPrivateKey.isPresent()) {
            throw ArgusException.configuration("gRPC TLS needs both a certificate chain and a private key file (or neither).");
        }
        for (Optional<Path> file : java.util.List.of(tlsCertChain, tlsPrivateKey)) {
            if (file.isPresent() && !Files.isReadable(file.get())) {
                throw ArgusException.configuration("gRPC TLS file " + file.get() + " does not exist or is not readable.");
            }
        }
        requirePositive(keepAliveTime, "keep-alive time");
        requirePositive(keepAliveTimeout, "keep-alive timeout");
        requirePositive(permitKeepAliveTime, "permit keep-alive time");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw ArgusException.configuration("gRPC shutdown grace must not be negative, got " + shutdownGrace + ".");
        }
        if (maxBytesInFlight < 2L * maxInboundMessageBytes) {
            throw ArgusException.configuration("gRPC bytes in flight (" + maxBytesInFlight + ") must be at least twice the "
                    + "largest message (" + maxInboundMessageBytes + ").");
        }
        if (maxCallsPerConnection < 1) {
            throw ArgusException.configuration("gRPC max calls per connection must be at least 1, got " + maxCallsPerConnection + ".");
        }
        requirePositive(maxConnectionAge, "max connection age");
    }

    /** The settings before the memory limits existed, with their defaults. */
    public GrpcConfig(String host, int port, int maxInboundMessageBytes, int maxConcurrentCalls, Set<String> authTokens,
                      Optional<Path> tlsCertChain, Optional<Path> tlsPrivateKey, Duration keepAliveTime,
                      Duration keepAliveTimeout, Duration permitKeepAliveTime, Duration shutdownGrace) {
        this(host, port, maxInboundMessageBytes, maxConcurrentCalls, authTokens, tlsCertChain, tlsPrivateKey, keepAliveTime,
                keepAliveTimeout, permitKeepAliveTime, shutdownGrace, defaultMaxBytesInFlight(maxInboundMessageBytes),
                DEFAULT_MAX_CALLS_PER_CONNECTION, DEFAULT_MAX_CONNECTION_AGE);
    }

    /** 10% of this JVM's maximum heap, and at least what one call of the largest message needs (twice it). */
    public static long defaultMaxBytesInFlight(int maxInboundMessageBytes) {
        return Math.max(2L * maxInboundMessageBytes + (64 << 10),
                (long) (Runtime.getRuntime().maxMemory() * DEFAULT_MESSAGE_HEAP_SHARE));
    }

    /** These limits on memory, calls per connection and connection age. */
    public GrpcConfig withLimits(long bytesInFlight, int callsPerConnection, Duration connectionAge) {
        return new GrpcConfig(host, port, maxInboundMessageBytes, maxConcurrentCalls, authTokens, tlsCertChain, tlsPrivateKey,
                keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownGrace, bytesInFlight, callsPerConnection,
                connectionAge);
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw ArgusException.configuration("gRPC " + what + " must be positive, got " + d + ".");
        }
    }

    /** Port 50051 on all interfaces, 16 MiB messages, 64 concurrent calls, no auth, no TLS, 10 s shutdown grace. */
    public static GrpcConfig defaults() {
        return new GrpcConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_INBOUND_MESSAGE_BYTES, DEFAULT_MAX_CONCURRENT_CALLS,
                Set.of(), Optional.empty(), Optional.empty(),
                Duration.ofMinutes(2), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public GrpcConfig withAddress(String newHost, int newPort) {
        return new GrpcConfig(newHost, newPort, maxInboundMessageBytes, maxConcurrentCalls, authTokens, tlsCertChain,
                tlsPrivateKey, keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownGrace, maxBytesInFlight,
                maxCallsPerConnection, maxConnectionAge);
    }

    /** The largest message; the bytes in flight grow to twice it where they were less. */
    public GrpcConfig withMaxInboundMessageBytes(int bytes) {
        return new GrpcConfig(host, port, bytes, maxConcurrentCalls, authTokens, tlsCertChain, tlsPrivateKey,
                keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownGrace,
                Math.max(maxBytesInFlight, 2L * bytes), maxCallsPerConnection, maxConnectionAge);
    }

    public GrpcConfig withMaxConcurrentCalls(int calls) {
        return new GrpcConfig(host, port, maxInboundMessageBytes, calls, authTokens, tlsCertChain, tlsPrivateKey,
                keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownGrace, maxBytesInFlight, maxCallsPerConnection,
                maxConnectionAge);
    }

    /** One token (null or blank: none). */
    public GrpcConfig withAuthToken(String token) {
        return withAuthTokens(token == null ? Set.of() : Set.of(token));
    }

    /** Any of these tokens (empty: no authentication). */
    public GrpcConfig withAuthTokens(Set<String> tokens) {
        return new GrpcConfig(host, port, maxInboundMessageBytes, maxConcurrentCalls, tokens,
                tlsCertChain, tlsPrivateKey, keepAliveTime, keepAliveTimeout, permitKeepAliveTime, shutdownGrace,
                maxBytesInFlight, maxCallsPerConnection, maxConnectionAge);
    }

    public GrpcConfig withTls(Path certChain, Path privateKey) {
        return new GrpcConfig(host, port, maxInboundMessageBytes, maxConcurrentCalls, authTokens,
                Optional.of(certChain), Optional.of(privateKey), keepAliveTime, keepAliveTimeout, permitKeepAliveTime,
                shutdownGrace, maxBytesInFlight, maxCallsPerConnection, maxConnectionAge);
    }

    public GrpcConfig withShutdownGrace(Duration grace) {
        return new GrpcConfig(host, port, maxInboundMessageBytes, maxConcurrentCalls, authTokens, tlsCertChain,
                tlsPrivateKey, keepAliveTime, keepAliveTimeout, permitKeepAliveTime, grace, maxBytesInFlight,
                maxCallsPerConnection, maxConnectionAge);
    }

    /** The tokens, trimmed, blank ones dropped; each must be printable ASCII without spaces (as REST's). */
    private static Set<String> tokens(Set<String> given) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String t : given) {
            if (t == null || t.isBlank()) {
                continue;
            }
            if (t.trim().chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw ArgusException.configuration("gRPC auth tokens (argus.grpc.token) must be printable ASCII without "
                        + "spaces, separated by commas.");
            }
            out.add(t.trim());
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** Whether calls need a bearer token. */
    public boolean authEnabled() {
        return !authTokens.isEmpty();
    }

    public boolean tls() {
        return tlsCertChain.isPresent();
    }

    @Override
    public String toString() {
        return "GrpcConfig[host=" + host + ", port=" + port + ", maxInboundMessageBytes=" + maxInboundMessageBytes
                + ", maxConcurrentCalls=" + maxConcurrentCalls
                + ", authTokens=" + (authTokens.isEmpty() ? "none" : "**** (" + authTokens.size() + ", hidden)")
                + ", tlsCertChain=" + tlsCertChain.map(Path::toString).orElse("none")
                + ", tlsPrivateKey=" + tlsPrivateKey.map(Path::toString).orElse("none")
                + ", keepAliveTime=" + keepAliveTime + ", keepAliveTimeout=" + keepAliveTimeout
                + ", permitKeepAliveTime=" + permitKeepAliveTime + ", shutdownGrace=" + shutdownGrace
                + ", maxBytesInFlight=" + maxBytesInFlight + ", maxCallsPerConnection=" + maxCallsPerConnection
                + ", maxConnectionAge=" + maxConnectionAge + "]";
    }
}
