package dev.argus.rest;

import dev.argus.domain.ArgusException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the REST server, validated on construction.
 *
 * @param host                  address to bind ({@code 127.0.0.1}; {@code 0.0.0.0} for every interface)
 * @param port                  TCP port; 0 picks a free one ({@link RestServer#port()} tells which)
 * @param authTokens            bearer tokens accepted; empty turns authentication off
 * @param maxBodyBytes          largest request body. Must hold the largest image in its largest form: Cloudflare's
 *                              JSON number array spends up to 4 characters per byte ({@code "255,"}), 5 with a space,
 *                              so 10 MiB images need about 50 MiB; the default 64 MiB leaves headroom. Bodies above
 *                              it are refused with 413 before (Content-Length) or while (chunked) being read
 * @param requestTimeout        longest time a classification may take before 408/3007
 * @param maxConcurrentRequests classification requests handled at once; more wait up to {@code admissionWait}
 * @param maxImagesPerRequest   most images in one batch request of {@code /v1/classify}
 * @param cloudflareModel       the Workers AI model name served on the Cloudflare route
 * @param shutdownGrace         how long {@link RestServer#close()} lets in-flight requests finish
 * @param maxImageBytes         largest image file in a body (an image's bytes stop being collected past it)
 * @param maxBodyBytesInFlight  heap all request bodies, and the images parsed out of them, may hold at once; bytes are
 *                              counted as they arrive, and a request that would go over gets 429/3040
 * @param tlsCertChain          PEM certificate chain; HTTPS is on when this and {@code tlsPrivateKey} are set
 * @param tlsPrivateKey         PEM (PKCS#8) private key for the chain
 * @param admissionWait         how long a request past {@code maxConcurrentRequests} waits, in order of arrival, for a
 *                              place before 429/3040 (its body unread, the connection closed, Retry-After: 1); at most
 *                              the request timeout
 * @param maxConnections        open connections at most; further ones wait in the kernel's accept queue until one closes
 * @param headerTimeout         a request's line and headers must arrive within this of its first byte, else 408 and the
 *                              connection is closed (a client trickling header bytes would otherwise hold it for days)
 */
public record RestConfig(String host, int port, Set<String> authTokens, long maxBodyBytes, Duration requestTimeout,
                         int maxConcurrentRequests, int maxImagesPerRequest, String cloudflareModel,
                         Duration shutdownGrace, long maxImageBytes, long maxBodyBytesInFlight,
                         java.util.Optional<java.nio.file.Path> tlsCertChain, java.util.Optional<java.nio.file.Path> tlsPrivateKey,
                         Duration admissionWait, int maxConnections, Duration headerTimeout) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    /**
     * A request past the concurrency limit waits this long, in order of arrival, for a place before 429. Clients that
     * retry at once without honouring Retry-After would otherwise turn refusals into most of the server's work; a
     * second bounds their refusal rate at one per client per second while the admitted work keeps the engine busy.
     */
    public static final Duration DEFAULT_ADMISSION_WAIT = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_IMAGES_PER_REQUEST = 32;
    public static final String DEFAULT_CLOUDFLARE_MODEL = "@cf/microsoft/resnet-50";
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_IMAGE_BYTES = 10L * 1024 * 1024;
    /**
     * Each connection costs a file descriptor and buffers; a thousand is far more than the requests that can be in
     * progress ({@link #DEFAULT_MAX_CONCURRENT_REQUESTS}) yet well under common descriptor limits.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Clients send a request's head in one packet; ten seconds covers slow networks, as Apache's default does. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Share of the JVM's maximum heap that request bodies may hold by default. */
    public static final double DEFAULT_BODY_HEAP_SHARE = 0.15;

    public RestConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cloudflareModel, "cloudflareModel");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        authTokens = Set.copyOf(Objects.requireNonNull(authTokens, "authTokens"));
        if (host.isBlank()) {
            throw ArgusException.configuration("REST host must not be blank; use 127.0.0.1 or 0.0.0.0.");
        }
        if (port < 0 || port > 65535) {
            throw ArgusException.configuration("REST port must be 0..65535 (0 = any free port), got " + port + ".");
        }
        for (String t : authTokens) {
            if (t.isBlank() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw ArgusException.configuration("REST auth tokens must be non-blank printable ASCII without spaces.");
            }
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw ArgusException.configuration("REST max body bytes must be 1024.." + (Integer.MAX_VALUE - 8) + ", got "
                    + maxBodyBytes + ".");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw ArgusException.configuration("REST request timeout must be positive, got " + requestTimeout + ".");
        }
        if (maxConcurrentRequests < 1 || maxConcurrentRequests > 10_000) {
            throw ArgusException.configuration("REST max concurrent requests must be 1..10000, got " + maxConcurrentRequests + ".");
        }
        if (maxImagesPerRequest < 1 || maxImagesPerRequest > 1024) {
            throw ArgusException.configuration("REST max images per request must be 1..1024, got " + maxImagesPerRequest + ".");
        }
        if (!cloudflareModel.startsWith("@cf/") && !cloudflareModel.startsWith("@hf/")) {
            throw ArgusException.configuration("REST Cloudflare model name must start with @cf/ or @hf/, got '"
                    + cloudflareModel + "'.");
        }
        if (shutdownGrace.isNegative()) {
            throw ArgusException.configuration("REST shutdown grace must not be negative, got " + shutdownGrace + ".");
        }
        if (maxImageBytes < 1 || maxImageBytes > Integer.MAX_VALUE - 8) {
            throw ArgusException.configuration("REST max image bytes must be 1.." + (Integer.MAX_VALUE - 8) + ", got "
                    + maxImageBytes + ".");
        }
        Objects.requireNonNull(tlsCertChain, "tlsCertChain");
        Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
        if (tlsCertChain.isPresent() != tlsPrivateKey.isPresent()) {
            throw ArgusException.configuration("REST TLS needs both a certificate chain and a private key file (or neither).");
        }
        for (java.util.Optional<java.nio.file.Path> file : java.util.List.of(tlsCertChain, tlsPrivateKey)) {
            if (file.isPresent() && !java.nio.file.Files.isReadable(file.get())) {
                throw ArgusException.configuration("REST TLS file " + file.get() + " does not exist or is not readable.");
            }
        }
        Objects.requireNonNull(admissionWait, "admissionWait");
        if (admissionWait.isNegative()) {
            throw ArgusException.configuration("REST admission wait must be 0 or more, got " + admissionWait.toMillis() + " ms.");
        }
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            throw ArgusException.configuration("REST max connections must be 1..1000000, got " + maxConnections + ".");
        }
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.toMillis() < 1) {
            throw ArgusException.configuration("REST header timeout must be at least 1 ms, got " + headerTimeout.toMillis() + " ms.");
        }
        if (maxBodyBytesInFlight < 2 * maxBodyBytes) {
            throw ArgusException.configuration("REST body bytes in flight (" + maxBodyBytesInFlight + ") must be at least twice "
                    + "the largest body (" + maxBodyBytes + "): one body and what is parsed out of it must fit.");
        }
    }

    /** 15% of this JVM's maximum heap (at least 2 MiB): with decodes (35%) and gRPC (10%), 60% of the heap at most. */
    public static long defaultMaxBodyBytesInFlight() {
        return Math.max(2L << 20, (long) (Runtime.getRuntime().maxMemory() * DEFAULT_BODY_HEAP_SHARE));
    }

    /** The largest body the default bodies-in-flight budget allows: 64 MiB, or half the budget on a small heap. */
    public static long defaultMaxBodyBytes() {
        return Math.min(DEFAULT_MAX_BODY_BYTES, defaultMaxBodyBytesInFlight() / 2);
    }

    public static RestConfig defaults() {
        return new RestConfig(DEFAULT_HOST, DEFAULT_PORT, Set.of(), defaultMaxBodyBytes(), DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_IMAGES_PER_REQUEST, DEFAULT_CLOUDFLARE_MODEL,
                DEFAULT_SHUTDOWN_GRACE, DEFAULT_MAX_IMAGE_BYTES, defaultMaxBodyBytesInFlight(),
                java.util.Optional.empty(), java.util.Optional.empty(), DEFAULT_ADMISSION_WAIT, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT);
    }

    /** How long a request past {@code maxConcurrentRequests} waits for a place before 429. */
    public RestConfig withAdmissionWait(Duration wait) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, wait, maxConnections, headerTimeout);
    }

    /** At most {@code max} open connections; a request head must arrive within {@code headerTimeout} of its first byte. */
    public RestConfig withConnections(int max, Duration timeout) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, max, timeout);
    }

    public RestConfig withHost(String h) {
        return new RestConfig(h, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withPort(int p) {
        return new RestConfig(host, p, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withAuthTokens(Set<String> tokens) {
        return new RestConfig(host, port, tokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    /** The largest body; the bytes in flight grow to twice it where they were less. */
    public RestConfig withMaxBodyBytes(long bytes) {
        return new RestConfig(host, port, authTokens, bytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, Math.max(maxBodyBytesInFlight, 2 * bytes), tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withRequestTimeout(Duration timeout) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, timeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withMaxConcurrentRequests(int n) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, n, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withMaxImagesPerRequest(int n) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, n, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withCloudflareModel(String model) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, model, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withShutdownGrace(Duration grace) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, grace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withMaxImageBytes(long bytes) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, bytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    public RestConfig withMaxBodyBytesInFlight(long bytes) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, bytes, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout);
    }

    /** HTTPS with this PEM certificate chain and PKCS#8 private key. */
    public RestConfig withTls(java.nio.file.Path certChain, java.nio.file.Path privateKey) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, java.util.Optional.of(certChain), java.util.Optional.of(privateKey), admissionWait, maxConnections, headerTimeout);
    }

    public boolean tls() {
        return tlsCertChain.isPresent();
    }

    public boolean authEnabled() {
        return !authTokens.isEmpty();
    }

    /** Never shows the tokens, only how many there are. */
    @Override
    public String toString() {
        return "RestConfig[host=" + host + ", port=" + port + ", authTokens=" + authTokens.size() + " (hidden)"
                + ", maxBodyBytes=" + maxBodyBytes + ", requestTimeout=" + requestTimeout
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", maxImagesPerRequest=" + maxImagesPerRequest
                + ", cloudflareModel=" + cloudflareModel + ", shutdownGrace=" + shutdownGrace + ", maxImageBytes=" + maxImageBytes
                + ", maxBodyBytesInFlight=" + maxBodyBytesInFlight + ", maxConnections=" + maxConnections
                + ", headerTimeout=" + headerTimeout + ", tls=" + (tls() ? tlsCertChain.get() : "off") + "]";
    }
}
