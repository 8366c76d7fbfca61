package dev.argus.app.config;

import dev.argus.grpc.GrpcConfig;
import dev.argus.otlp.OtlpConfig;
import dev.argus.rest.RestConfig;
import java.util.LinkedHashSet;
import java.util.Set;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code argus serve} needs beyond the classifier: warm-up, shutdown grace and each server's settings. Built
 * from the same {@link Settings}, validated the same way.
 *
 * @param warmupRounds  classifications run before reporting ready
 * @param shutdownDelay how long to keep serving, not ready, after SIGTERM before refusing new requests
 * @param shutdownGrace how long in-flight requests may finish after SIGTERM
 * @param rest          the REST server, when enabled
 * @param grpc          the gRPC server, when enabled
 * @param maxConcurrentRequests requests in progress over every enabled server together
 * @param metrics       the metrics listener of its own ({@code argus.metrics.port}), when set
 * @param otlp          where spans are exported, when {@code argus.tracing.otlp-endpoint} is set
 * @param compilerNice  the nice value for the JIT's C2 compiler threads (0 = leave them), see CompilerThreads
 */
public record ServingConfig(int warmupRounds, Duration shutdownDelay, Duration shutdownGrace, Optional<RestConfig> rest,
                            Optional<GrpcConfig> grpc, int maxConcurrentRequests, Optional<Metrics> metrics,
                            Optional<OtlpConfig> otlp, int compilerNice) {

    /** Where the metrics listener binds: {@code argus.metrics.host} and {@code argus.metrics.port} (0 = random). */
    public record Metrics(String host, int port) {
    }

    public static ServingConfig from(Settings s) {
        ConfigReader r = new ConfigReader(s);
        Duration grace = r.millis(Key.SERVER_SHUTDOWN_GRACE_MS, 0, 600_000);
        Optional<RestConfig> rest = r.bool(Key.REST_ENABLED) ? Optional.of(rest(r, grace)) : Optional.empty();
        Optional<GrpcConfig> grpc = r.bool(Key.GRPC_ENABLED) ? Optional.of(grpc(r, grace)) : Optional.empty();
        if (!r.bool(Key.SERVER_ALLOW_UNAUTHENTICATED)) {
            rest.filter(c -> !c.authEnabled() && !loopback(c.host())).ifPresent(c -> {
                throw r.bad(Key.REST_HOST, openServing("REST", "argus.rest.auth-tokens"));
            });
            grpc.filter(c -> !c.authEnabled() && !loopback(c.host())).ifPresent(c -> {
                throw r.bad(Key.GRPC_HOST, openServing("gRPC", "argus.grpc.token"));
            });
        }
        int together = r.intIn(Key.SERVER_MAX_CONCURRENT_REQUESTS, 0, 100_000);
        if (together == 0) { // never the binding limit: each API keeps its own places, as before there was a total
            together = rest.map(RestConfig::maxConcurrentRequests).orElse(0) + grpc.map(GrpcConfig::maxConcurrentCalls).orElse(0);
        }
        Optional<Metrics> metrics = r.optional(Key.METRICS_PORT).isEmpty() ? Optional.empty()
                : Optional.of(new Metrics(r.string(Key.METRICS_HOST), r.intIn(Key.METRICS_PORT, 0, 65535)));
        return new ServingConfig(r.intIn(Key.SERVER_WARMUP_ROUNDS, 0, 1000), r.millis(Key.SERVER_SHUTDOWN_DELAY_MS, 0, 600_000), grace,
                rest, grpc, together, metrics, otlp(r), r.intIn(Key.SERVER_COMPILER_NICE, 0, 19));
    }

    /** {@code argus.server.compiler-nice}, for the commands besides serve that apply it (argus bench). */
    public static int compilerNice(Settings s) {
        return new ConfigReader(s).intIn(Key.SERVER_COMPILER_NICE, 0, 19);
    }

    private static Optional<OtlpConfig> otlp(ConfigReader r) {
        int queue = r.intIn(Key.TRACING_QUEUE_SIZE, 1, 1_000_000);
        Optional<String> url = r.optional(Key.TRACING_OTLP_ENDPOINT);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OtlpConfig.of(java.net.URI.create(url.get())).withQueueSize(queue));
        } catch (IllegalArgumentException | dev.argus.domain.ArgusException e) {
            throw r.bad(Key.TRACING_OTLP_ENDPOINT, "Give the collector's OTLP/HTTP base URL, such as http://localhost:4318");
        }
    }

    private static String openServing(String server, String tokenKey) {
        return "Serving " + server + " beyond this machine without a token would let anyone who reaches the port classify "
                + "and read the model's details. Set " + tokenKey + " (env " + tokenKey.toUpperCase(java.util.Locale.ROOT)
                .replace('.', '_').replace('-', '_') + "), bind to 127.0.0.1, or set argus.server.allow-unauthenticated=true "
                + "to serve openly on purpose (e.g. behind a gateway that authenticates)";
    }

    /** Whether {@code host} is a loopback address (127.0.0.0/8, ::1, localhost), without asking a resolver for others. */
    public static boolean loopback(String host) {
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        return h.matches("127(\\.\\d{1,3}){3}");
    }

    private static RestConfig rest(ConfigReader r, Duration grace) {
        String host = r.string(Key.REST_HOST);
        int port = r.intIn(Key.REST_PORT, 0, 65535);
        Set<String> tokens = tokens(r, Key.REST_AUTH_TOKENS);
        RestConfig.Cors cors = cors(r);
        long maxBody = r.longIn(Key.REST_MAX_BODY_BYTES, 1024, Integer.MAX_VALUE);
        Duration timeout = r.millis(Key.REST_REQUEST_TIMEOUT_MS, 1, 3_600_000);
        int maxRequests = r.intIn(Key.REST_MAX_CONCURRENT_REQUESTS, 1, 100_000);
        int maxImages = r.intIn(Key.REST_MAX_IMAGES_PER_REQUEST, 1, 10_000);
        String model = r.string(Key.REST_CLOUDFLARE_MODEL);
        long maxImageBytes = r.longIn(Key.MAX_BYTES, 1, Integer.MAX_VALUE - 8);
        long inFlight = r.longIn(Key.REST_MAX_BODY_BYTES_IN_FLIGHT, 0, Long.MAX_VALUE);
        if (inFlight != 0 && inFlight < 2 * maxBody) {
            throw r.bad(Key.REST_MAX_BODY_BYTES_IN_FLIGHT, "Give at least twice argus.rest.max-body-bytes (" + 2 * maxBody
                    + "): one body and what is parsed out of it must fit; or 0 for 15% of the heap");
        }
        long bodies = inFlight;
        if (inFlight == 0) {
            // The default budget is a share of the heap; on a small heap the default body limit shrinks to half of it,
            // while a body limit set on purpose makes the budget grow to twice it instead.
            bodies = RestConfig.defaultMaxBodyBytesInFlight();
            if (r.isDefault(Key.REST_MAX_BODY_BYTES)) {
                maxBody = RestConfig.defaultMaxBodyBytes();
            } else {
                bodies = Math.max(bodies, 2 * maxBody);
            }
        }
        long body = maxBody;
        long inFlightBodies = bodies;
        return r.wrap(Key.REST_TLS_CERT_CHAIN, () -> new RestConfig(host, port, tokens, body, timeout, maxRequests,
                maxImages, model, grace, maxImageBytes, inFlightBodies, r.path(Key.REST_TLS_CERT_CHAIN), r.path(Key.REST_TLS_PRIVATE_KEY),
                Duration.ofMillis(r.longIn(Key.REST_ADMISSION_WAIT_MS, 0, 3_600_000)),
                r.intIn(Key.REST_MAX_CONNECTIONS, 1, 1_000_000), r.millis(Key.REST_HEADER_TIMEOUT_MS, 1, 3_600_000), cors));
    }

    /** Comma-separated bearer tokens (blank entries dropped), each printable ASCII without spaces; never shown. */
    private static Set<String> tokens(ConfigReader r, Key k) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String t : r.string(k).split(",")) {
            if (t.isBlank()) {
                continue;
            }
            if (t.trim().chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw r.bad(k, "Tokens must be printable ASCII without spaces, separated by commas");
            }
            tokens.add(t.trim());
        }
        return tokens;
    }

    private static RestConfig.Cors cors(ConfigReader r) {
        java.util.List<String> origins = new java.util.ArrayList<>();
        for (String o : r.string(Key.REST_CORS_ORIGINS).split(",")) {
            if (!o.isBlank()) {
                origins.add(o.trim());
            }
        }
        java.time.Duration maxAge = java.time.Duration.ofSeconds(r.longIn(Key.REST_CORS_MAX_AGE_S, 0,
                RestConfig.Cors.MAX_MAX_AGE.toSeconds()));
        try {
            return new RestConfig.Cors(origins, maxAge);
        } catch (dev.argus.domain.ArgusException e) {
            throw r.bad(Key.REST_CORS_ORIGINS, e.getMessage().replaceAll("\\.$", ""));
        }
    }

    private static GrpcConfig grpc(ConfigReader r, Duration grace) {
        String host = r.string(Key.GRPC_HOST);
        int port = r.intIn(Key.GRPC_PORT, 0, 65535);
        int maxBytes = r.intIn(Key.GRPC_MAX_MESSAGE_BYTES, 1024, Integer.MAX_VALUE);
        int maxCalls = r.intIn(Key.GRPC_MAX_CONCURRENT_CALLS, 1, 100_000);
        Duration keepAlive = r.millis(Key.GRPC_KEEPALIVE_TIME_MS, 1, 86_400_000);
        Duration keepAliveTimeout = r.millis(Key.GRPC_KEEPALIVE_TIMEOUT_MS, 1, 86_400_000);
        Duration permit = r.millis(Key.GRPC_PERMIT_KEEPALIVE_TIME_MS, 0, 86_400_000);
        long inFlight = r.longIn(Key.GRPC_MAX_BYTES_IN_FLIGHT, 0, Long.MAX_VALUE);
        if (inFlight != 0 && inFlight < 2L * maxBytes) {
            throw r.bad(Key.GRPC_MAX_BYTES_IN_FLIGHT, "Give at least twice argus.grpc.max-inbound-message-bytes (" + 2L * maxBytes
                    + "), or 0 for 10% of the heap");
        }
        long messages = inFlight == 0 ? GrpcConfig.defaultMaxBytesInFlight(maxBytes) : inFlight;
        int perConnection = r.intIn(Key.GRPC_MAX_CALLS_PER_CONNECTION, 1, 100_000);
        Duration age = r.millis(Key.GRPC_MAX_CONNECTION_AGE_MS, 1, 86_400_000L * 365);
        Set<String> tokens = tokens(r, Key.GRPC_TOKEN);
        return r.wrap(Key.GRPC_TLS_CERT_CHAIN, () -> new GrpcConfig(host, port, maxBytes, maxCalls, tokens,
                r.path(Key.GRPC_TLS_CERT_CHAIN), r.path(Key.GRPC_TLS_PRIVATE_KEY), keepAlive, keepAliveTimeout, permit, grace,
                messages, perConnection, age));
    }
}
