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
 * @param cors                  which browser origins may call the server ({@link Cors#OFF}: none, no CORS headers)
 */
public record RestConfig(String host, int port, Set<String> authTokens, long maxBodyBytes, Duration requestTimeout,
                         int maxConcurrentRequests, int maxImagesPerRequest, String cloudflareModel,
                         Duration shutdownGrace, long maxImageBytes, long maxBodyBytesInFlight,
                         java.util.Optional<java.nio.file.Path> tlsCertChain, java.util.Optional<java.nio.file.Path> tlsPrivateKey,
                         Duration admissionWait, int maxConnections, Duration headerTimeout, Cors cors) {
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
        Objects.requireNonNull(cors, "cors");
    }

    /** The settings before CORS existed: CORS off. */
    public RestConfig(String host, int port, Set<String> authTokens, long maxBodyBytes, Duration requestTimeout,
                      int maxConcurrentRequests, int maxImagesPerRequest, String cloudflareModel,
                      Duration shutdownGrace, long maxImageBytes, long maxBodyBytesInFlight,
                      java.util.Optional<java.nio.file.Path> tlsCertChain, java.util.Optional<java.nio.file.Path> tlsPrivateKey,
                      Duration admissionWait, int maxConnections, Duration headerTimeout) {
        this(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel,
                shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections,
                headerTimeout, Cors.OFF);
    }

    /**
     * Cross-origin access for browsers (CORS). Off ({@link #OFF}, no origins) by default: no CORS header is ever sent.
     *
     * @param origins the origins allowed, each exactly as a browser sends it in {@code Origin}
     *                ({@code scheme://host[:port]}, no path, no trailing slash), or the single entry {@code *} for any
     * @param maxAge  how long a browser may cache a preflight's answer ({@code Access-Control-Max-Age})
     */
    public record Cors(java.util.List<String> origins, Duration maxAge) {
        /** Most browsers cap {@code Access-Control-Max-Age} lower (Chromium: 2 h); a day is Firefox's cap. */
        public static final Duration MAX_MAX_AGE = Duration.ofDays(1);
        public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
        private static final java.util.regex.Pattern ORIGIN =
                java.util.regex.Pattern.compile("[a-z][a-z0-9+.-]*://[a-z0-9._~%\\[\\]:-]+");
        public static final Cors OFF = new Cors(java.util.List.of(), DEFAULT_MAX_AGE);

        public Cors {
            origins = java.util.List.copyOf(Objects.requireNonNull(origins, "origins"));
            Objects.requireNonNull(maxAge, "maxAge");
            if (origins.contains("*") && origins.size() > 1) {
                throw ArgusException.configuration("REST CORS origins (argus.rest.cors-origins) must be either * alone or a "
                        + "list of origins, not both.");
            }
            for (String o : origins) {
                if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
                    throw ArgusException.configuration("REST CORS origin '" + o + "' (argus.rest.cors-origins) is not an "
                            + "origin: write it as the browser sends it, scheme://host[:port] in lower case, without a "
                            + "path or trailing slash (e.g. https://app.example.com), or * for any.");
                }
            }
            if (maxAge.isNegative() || maxAge.compareTo(MAX_MAX_AGE) > 0 || maxAge.toMillis() % 1000 != 0) {
                throw ArgusException.configuration("REST CORS max age (argus.rest.cors-max-age-s) must be 0.."
                        + MAX_MAX_AGE.toSeconds() + " whole seconds, got " + maxAge + ".");
            }
        }

        /** These origins ({@code *} for any) with the default max age. */
        public static Cors of(String... origins) {
            return new Cors(java.util.List.of(origins), DEFAULT_MAX_AGE);
        }

        public boolean enabled() {
            return !origins.isEmpty();
        }

        /** Whether a request with this {@code Origin} header may read the answer. */
        public boolean allows(String origin) {
            return origin != null && (origins.contains("*") || origins.contains(origin));
        }

        public Cors withMaxAge(Duration age) {
            return new Cors(origins, age);
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
                java.util.Optional.empty(), java.util.Optional.empty(), DEFAULT_ADMISSION_WAIT, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT, Cors.OFF);
    }

    /** How long a request past {@code maxConcurrentRequests} waits for a place before 429. */
    public RestConfig withAdmissionWait(Duration wait) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, wait, maxConnections, headerTimeout, cors);
    }

    /** At most {@code max} open connections; a request head must arrive within {@code headerTimeout} of its first byte. */
    public RestConfig withConnections(int max, Duration timeout) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, max, timeout, cors);
    }

    public RestConfig withHost(String h) {
        return new RestConfig(h, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withPort(int p) {
        return new RestConfig(host, p, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withAuthTokens(Set<String> tokens) {
        return new RestConfig(host, port, tokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    /** The largest body; the bytes in flight grow to twice it where they were less. */
    public RestConfig withMaxBodyBytes(long bytes) {
        return new RestConfig(host, port, authTokens, bytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, Math.max(maxBodyBytesInFlight, 2 * bytes), tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withRequestTimeout(Duration timeout) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, timeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withMaxConcurrentRequests(int n) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, n, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withMaxImagesPerRequest(int n) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, n, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withCloudflareModel(String model) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, model, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withShutdownGrace(Duration grace) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, grace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withMaxImageBytes(long bytes) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, bytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    public RestConfig withMaxBodyBytesInFlight(long bytes) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, bytes, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, cors);
    }

    /** HTTPS with this PEM certificate chain and PKCS#8 private key. */
    public RestConfig withTls(java.nio.file.Path certChain, java.nio.file.Path privateKey) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, java.util.Optional.of(certChain), java.util.Optional.of(privateKey), admissionWait, maxConnections, headerTimeout, cors);
    }

    /** Cross-origin access for browsers ({@link Cors#OFF}: none). */
    public RestConfig withCors(Cors c) {
        return new RestConfig(host, port, authTokens, maxBodyBytes, requestTimeout, maxConcurrentRequests, maxImagesPerRequest, cloudflareModel, shutdownGrace, maxImageBytes, maxBodyBytesInFlight, tlsCertChain, tlsPrivateKey, admissionWait, maxConnections, headerTimeout, c);
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
                + ", headerTimeout=" + headerTimeout + ", tls=" + (tls() ? tlsCertChain.get() : "off")
                + ", cors=" + (cors.enabled() ? cors.origins() + " max-age " + cors.maxAge().toSeconds() + " s" : "off") + "]";
    }
}
