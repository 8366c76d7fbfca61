package dev.argus.otlp;

import dev.argus.domain.ArgusException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how spans are exported. Immutable and validated.
 *
 * @param endpoint      the collector's OTLP/HTTP base URL ({@code http://localhost:4318}); spans are posted to
 *                      {@code {endpoint}/v1/traces} (a URL already ending so is used as it is)
 * @param serviceName   the resource's {@code service.name} (default {@code argus})
 * @param queueSize     spans waiting for export at most; past it, spans are dropped and counted (default 2048)
 * @param batchSize     spans per request at most (default 512)
 * @param flushInterval how often what is waiting is sent, at the latest (default 1 s)
 * @param timeout       longest one export request may take (default 10 s)
 */
public record OtlpConfig(URI endpoint, String serviceName, int queueSize, int batchSize, Duration flushInterval,
                         Duration timeout) {
    public static final String DEFAULT_SERVICE_NAME = "argus";
    public static final int DEFAULT_QUEUE_SIZE = 2048;
    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String TRACES_PATH = "/v1/traces";

    public OtlpConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null || endpoint.getRawQuery() != null
                || endpoint.getRawFragment() != null || endpoint.getRawUserInfo() != null) {
            throw ArgusException.configuration("The OTLP endpoint '" + endpoint + "' is not an http:// or https:// URL with a "
                    + "host (and no query, fragment or user info), such as http://localhost:4318.");
        }
        if (serviceName.isBlank()) {
            throw ArgusException.configuration("The OTLP service name must not be empty.");
        }
        if (queueSize < 1 || batchSize < 1 || batchSize > queueSize) {
            throw ArgusException.configuration("The OTLP queue size must be >= 1 and the batch size 1.." + queueSize
                    + " (queue " + queueSize + ", batch " + batchSize + ").");
        }
        if (flushInterval.isNegative() || flushInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw ArgusException.configuration("The OTLP flush interval and timeout must be positive.");
        }
    }

    /** The defaults, exporting to {@code endpoint}. */
    public static OtlpConfig of(URI endpoint) {
        return new OtlpConfig(endpoint, DEFAULT_SERVICE_NAME, DEFAULT_QUEUE_SIZE, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_TIMEOUT);
    }

    public OtlpConfig withQueueSize(int n) {
        return new OtlpConfig(endpoint, serviceName, n, Math.min(batchSize, n), flushInterval, timeout);
    }

    public OtlpConfig withBatchSize(int n) {
        return new OtlpConfig(endpoint, serviceName, queueSize, n, flushInterval, timeout);
    }

    public OtlpConfig withFlushInterval(Duration d) {
        return new OtlpConfig(endpoint, serviceName, queueSize, batchSize, d, timeout);
    }

    public OtlpConfig withTimeout(Duration d) {
        return new OtlpConfig(endpoint, serviceName, queueSize, batchSize, flushInterval, d);
    }

    /** Where spans are posted. */
    public URI tracesUrl() {
        String base = endpoint.toString();
        if (base.endsWith(TRACES_PATH)) {
            return endpoint;
        }
        return URI.create(base.replaceAll("/+$", "") + TRACES_PATH);
    }
}
