package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the {@code cloudflare} backend reaches Workers AI (or any server speaking its REST contract, such as Argus's own
 * Cloudflare-compatible route). Immutable and validated; {@link #toString()} never shows the token.
 *
 * @param baseUrl                 scheme, host and optional port (and path prefix) before {@code /client/v4};
 *                                default {@code https://api.cloudflare.com}
 * @param accountId               the Cloudflare account id (path segment)
 * @param apiToken                the API token, sent as {@code Authorization: Bearer}; never logged or shown
 * @param model                   the Workers AI model id; default {@code @cf/microsoft/resnet-50}
 * @param attemptTimeout          longest one HTTP attempt may take, connect to last body byte (default 10 s)
 * @param deadline                longest one image may take over all its attempts and backoff (default 30 s)
 * @param maxAttempts             attempts per image, the first included (1..10, default 4)
 * @param backoffBase             first backoff delay; doubles per retry, with jitter (default 200 ms)
 * @param backoffMax              cap of one backoff delay (default 5 s); Retry-After may ask for longer, within the
 *                                deadline
 * @param breakerFailureThreshold consecutive failed attempts (5xx, timeout, dropped connection) that open the circuit
 *                                (default 5)
 * @param breakerOpenDuration     how long an open circuit fails calls at once before one trial call (default 30 s)
 * @param batchConcurrency        HTTP calls in flight at once for one batch (1..64, default 4)
 */
public record CloudflareConfig(URI baseUrl, String accountId, String apiToken, String model, Duration attemptTimeout,
                               Duration deadline, int maxAttempts, Duration backoffBase, Duration backoffMax,
                               int breakerFailureThreshold, Duration breakerOpenDuration, int batchConcurrency) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.cloudflare.com");
    public static final String DEFAULT_MODEL = "@cf/microsoft/resnet-50";
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final int MAX_ATTEMPTS_LIMIT = 10;
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(200);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_BREAKER_OPEN_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_BATCH_CONCURRENCY = 4;
    public static final int MAX_BATCH_CONCURRENCY = 64;

    /** Account ids are 32 hex digits at Cloudflare; anything that is one clean path segment is accepted. */
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final Pattern MODEL_ID = Pattern.compile("@?[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");
    /** A token goes into a header: visible ASCII only. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

    public CloudflareConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(apiToken, "apiToken");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(breakerOpenDuration, "breakerOpenDuration");
        baseUrl = normaliseBaseUrl(baseUrl);
        accountId = accountId.strip();
        apiToken = apiToken.strip();
        model = model.strip();
        if (accountId.isEmpty()) {
            throw ArgusException.configuration("The cloudflare backend needs an account id (argus.cloudflare.account-id "
                    + "or CLOUDFLARE_ACCOUNT_ID): the 32-character id in the Cloudflare dashboard URL.");
        }
        if (!PATH_SEGMENT.matcher(accountId).matches()) {
            throw ArgusException.configuration("Cloudflare account id '" + accountId + "' is not valid: use the "
                    + "32-character hex id from the Cloudflare dashboard.");
        }
        if (apiToken.isEmpty()) {
            throw ArgusException.configuration("The cloudflare backend needs an API token (argus.cloudflare.api-token "
                    + "or CLOUDFLARE_API_TOKEN) with Workers AI permission.");
        }
        if (!TOKEN.matcher(apiToken).matches()) {
            throw ArgusException.configuration("The Cloudflare API token contains spaces or control characters: "
                    + "paste the token alone, without 'Bearer' or quotes.");
        }
        if (!MODEL_ID.matcher(model).matches()) {
            throw ArgusException.configuration("Cloudflare model '" + model + "' is not a model id like "
                    + DEFAULT_MODEL + ".");
        }
        positive("attempt timeout", attemptTimeout);
        positive("deadline", deadline);
        positive("backoff base", backoffBase);
        positive("backoff max", backoffMax);
        positive("circuit breaker open duration", breakerOpenDuration);
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw ArgusException.configuration("Cloudflare backoff max (" + backoffMax + ") is below the backoff base ("
                    + backoffBase + ").");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw ArgusException.configuration("Cloudflare max attempts must be 1.." + MAX_ATTEMPTS_LIMIT + ", got "
                    + maxAttempts + ".");
        }
        if (breakerFailureThreshold < 1) {
            throw ArgusException.configuration("Cloudflare circuit breaker failure threshold must be at least 1, got "
                    + breakerFailureThreshold + ".");
        }
        if (batchConcurrency < 1 || batchConcurrency > MAX_BATCH_CONCURRENCY) {
            throw ArgusException.configuration("Cloudflare batch concurrency must be 1.." + MAX_BATCH_CONCURRENCY
                    + ", got " + batchConcurrency + ".");
        }
    }

    /** Cloudflare's API with the defaults above. */
    public static CloudflareConfig of(String accountId, String apiToken) {
        return new CloudflareConfig(DEFAULT_BASE_URL, accountId, apiToken, DEFAULT_MODEL, DEFAULT_ATTEMPT_TIMEOUT,
                DEFAULT_DEADLINE, DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_MAX,
                DEFAULT_BREAKER_FAILURE_THRESHOLD, DEFAULT_BREAKER_OPEN_DURATION, DEFAULT_BATCH_CONCURRENCY);
    }

    public CloudflareConfig withBaseUrl(URI url) {
        return new CloudflareConfig(url, accountId, apiToken, model, attemptTimeout, deadline, maxAttempts, backoffBase,
                backoffMax, breakerFailureThreshold, breakerOpenDuration, batchConcurrency);
    }

    public CloudflareConfig withModel(String m) {
        return new CloudflareConfig(baseUrl, accountId, apiToken, m, attemptTimeout, deadline, maxAttempts, backoffBase,
                backoffMax, breakerFailureThreshold, breakerOpenDuration, batchConcurrency);
    }

    public CloudflareConfig withTimeouts(Duration attempt, Duration total) {
        return new CloudflareConfig(baseUrl, accountId, apiToken, model, attempt, total, maxAttempts, backoffBase,
                backoffMax, breakerFailureThreshold, breakerOpenDuration, batchConcurrency);
    }

    public CloudflareConfig withRetries(int attempts, Duration base, Duration max) {
        return new CloudflareConfig(baseUrl, accountId, apiToken, model, attemptTimeout, deadline, attempts, base, max,
                breakerFailureThreshold, breakerOpenDuration, batchConcurrency);
    }

    public CloudflareConfig withCircuitBreaker(int failureThreshold, Duration openDuration) {
        return new CloudflareConfig(baseUrl, accountId, apiToken, model, attemptTimeout, deadline, maxAttempts,
                backoffBase, backoffMax, failureThreshold, openDuration, batchConcurrency);
    }

    public CloudflareConfig withBatchConcurrency(int n) {
        return new CloudflareConfig(baseUrl, accountId, apiToken, model, attemptTimeout, deadline, maxAttempts,
                backoffBase, backoffMax, breakerFailureThreshold, breakerOpenDuration, n);
    }

    /** {@code {base}/client/v4/accounts/{account_id}/ai/run/{model}}. */
    public URI endpoint() {
        return URI.create(baseUrl + "/client/v4/accounts/" + accountId + "/ai/run/" + model);
    }

    /** The endpoint's scheme, host and port, for messages (never the account id path or the token). */
    String host() {
        return baseUrl.getScheme() + "://" + baseUrl.getAuthority();
    }

    private static URI normaliseBaseUrl(URI url) {
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw ArgusException.configuration("The Cloudflare base URL must not carry user info, a query or a "
                    + "fragment: use scheme://host[:port][/prefix], like " + DEFAULT_BASE_URL + ".");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw ArgusException.configuration("Cloudflare base URL '" + url + "' must be an http:// or https:// URL "
                    + "with a host, like " + DEFAULT_BASE_URL + ".");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    private static void positive(String what, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw ArgusException.configuration("Cloudflare " + what + " must be positive, got " + d + ".");
        }
    }

    @Override
    public String toString() {
        return "CloudflareConfig[baseUrl=" + baseUrl + ", accountId=" + accountId + ", apiToken=****, model=" + model
                + ", attemptTimeout=" + attemptTimeout + ", deadline=" + deadline + ", maxAttempts=" + maxAttempts
                + ", backoffBase=" + backoffBase + ", backoffMax=" + backoffMax + ", breakerFailureThreshold="
                + breakerFailureThreshold + ", breakerOpenDuration=" + breakerOpenDuration + ", batchConcurrency="
                + batchConcurrency + "]";
    }
}
