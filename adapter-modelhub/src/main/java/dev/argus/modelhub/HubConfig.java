package dev.argus.modelhub;

import dev.argus.domain.ArgusException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the Hugging Face Hub and where to cache what comes from it. Immutable and validated on construction
 * (invalid values fail with {@code CONFIGURATION}). The application maps its settings and environment
 * ({@code HF_ENDPOINT}, {@code HF_TOKEN}, ...) onto this record; start from {@link #defaults(Path)}.
 *
 * @param endpoint         the Hub, {@code https://huggingface.co} or a mirror; http or https, no credentials, query
 *                         or fragment; a trailing {@code /} is dropped
 * @param cacheDir         where downloads are kept, {@code <cacheDir>/<owner>/<repo>/<revision>/<path>}, with the
 *                         cache's records, partial downloads and locks apart in {@code <cacheDir>/.argus/}; made
 *                         absolute
 * @param token            access token sent as {@code Authorization: Bearer} to the endpoint's host only, or
 *                         {@code null}; blank means none. Never logged; {@link #toString()} redacts it
 * @param connectTimeout   TCP/TLS connect timeout
 * @param readTimeout      longest wait for response headers, and for each piece of a response body
 * @param maxAttempts      tries per request on network errors, 5xx, 408 and 429 (1 = no retry); a download whose
 *                         {@code .part} keeps growing gets a fresh set of tries
 * @param offline          never touch the network: only cached or manually placed files resolve
 * @param verifyCachedHash rehash a cached file before reusing it (about 0.3 s per 100 MB)
 * @param backoffBase      first retry delay; doubles each retry, with jitter, capped at 30 s
 * @param lockTimeout      longest wait for another process (or thread) that holds a file's cache lock while its
 *                         download makes no progress; then resolving fails, naming the lock file and its holder
 */
public record HubConfig(URI endpoint, Path cacheDir, String token, Duration connectTimeout, Duration readTimeout,
                        int maxAttempts, boolean offline, boolean verifyCachedHash, Duration backoffBase,
                        Duration lockTimeout) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    public HubConfig {
        endpoint = validEndpoint(endpoint);
        cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath().normalize();
        token = token == null || token.isBlank() ? null : token.strip();
        require(token == null || token.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)),
                "the Hub token contains whitespace or control characters; check HF_TOKEN");
        require(positive(connectTimeout), "connectTimeout must be positive, got " + connectTimeout);
        require(positive(readTimeout), "readTimeout must be positive, got " + readTimeout);
        require(maxAttempts >= 1 && maxAttempts <= 20, "maxAttempts must be 1..20, got " + maxAttempts);
        require(backoffBase != null && !backoffBase.isNegative(), "backoffBase must be >= 0, got " + backoffBase);
        require(positive(lockTimeout), "lockTimeout must be positive, got " + lockTimeout);
    }

    /**
     * The public Hub, no token, 10 s connect / 30 s read timeouts, 4 attempts, online, cached files rehashed, and 5 min
     * of waiting for a cache lock whose holder makes no progress.
     */
    public static HubConfig defaults(Path cacheDir) {
        return new HubConfig(DEFAULT_ENDPOINT, cacheDir, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, false, true, DEFAULT_BACKOFF_BASE, DEFAULT_LOCK_TIMEOUT);
    }

    public HubConfig withEndpoint(URI newEndpoint) {
        return new HubConfig(newEndpoint, cacheDir, token, connectTimeout, readTimeout, maxAttempts, offline,
                verifyCachedHash, backoffBase, lockTimeout);
    }

    public HubConfig withToken(String newToken) {
        return new HubConfig(endpoint, cacheDir, newToken, connectTimeout, readTimeout, maxAttempts, offline,
                verifyCachedHash, backoffBase, lockTimeout);
    }

    public HubConfig withTimeouts(Duration connect, Duration read) {
        return new HubConfig(endpoint, cacheDir, token, connect, read, maxAttempts, offline, verifyCachedHash,
                backoffBase, lockTimeout);
    }

    public HubConfig withRetries(int attempts, Duration base) {
        return new HubConfig(endpoint, cacheDir, token, connectTimeout, readTimeout, attempts, offline,
                verifyCachedHash, base, lockTimeout);
    }

    public HubConfig withOffline(boolean newOffline) {
        return new HubConfig(endpoint, cacheDir, token, connectTimeout, readTimeout, maxAttempts, newOffline,
                verifyCachedHash, backoffBase, lockTimeout);
    }

    public HubConfig withVerifyCachedHash(boolean verify) {
        return new HubConfig(endpoint, cacheDir, token, connectTimeout, readTimeout, maxAttempts, offline, verify,
                backoffBase, lockTimeout);
    }

    public HubConfig withLockTimeout(Duration newLockTimeout) {
        return new HubConfig(endpoint, cacheDir, token, connectTimeout, readTimeout, maxAttempts, offline,
                verifyCachedHash, backoffBase, newLockTimeout);
    }

    public boolean hasToken() {
        return token != null;
    }

    /** {@code host} or {@code host:port} of the endpoint, for messages. */
    public String endpointHost() {
        return endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    }

    @Override
    public String toString() {
        return "HubConfig[endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", token="
                + (token == null ? "none" : "<redacted>") + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", maxAttempts=" + maxAttempts + ", offline=" + offline + ", verifyCachedHash="
                + verifyCachedHash + ", backoffBase=" + backoffBase + ", lockTimeout=" + lockTimeout + "]";
    }

    private static URI validEndpoint(URI endpoint) {
        require(endpoint != null, "the Hub endpoint is missing");
        require(endpoint.getRawUserInfo() == null, "the Hub endpoint must not contain credentials; use the token");
        String scheme = endpoint.getScheme();
        require(endpoint.isAbsolute() && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
                && endpoint.getHost() != null, "the Hub endpoint must be an http(s) URL with a host, got '"
                + endpoint + "'");
        require(endpoint.getRawQuery() == null && endpoint.getRawFragment() == null,
                "the Hub endpoint must not have a query or fragment, got '" + endpoint + "'");
        return URI.create(endpoint.toString().replaceAll("/+$", ""));
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw ArgusException.configuration("Invalid Hugging Face Hub configuration: " + problem + ".");
        }
    }
}
