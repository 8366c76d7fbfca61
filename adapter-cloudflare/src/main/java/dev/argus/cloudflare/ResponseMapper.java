package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one mapping of Cloudflare's answers (HTTP status, envelope, error codes; see docs/reference.md, "Envelope" and
 * "Error codes") to {@link Verdict}s.
 *
 * <table>
 * <tr><th>answer</th><th>verdict</th></tr>
 * <tr><td>2xx, {@code result} a non-empty list</td><td>answered</td></tr>
 * <tr><td>400 (5006 bad input, 3003 no body, any other code)</td><td>this image: INVALID_INPUT</td></tr>
 * <tr><td>413 (3006)</td><td>this image: INPUT_TOO_LARGE</td></tr>
 * <tr><td>401, 403 (10000), 400/6003 bad headers</td><td>CONFIGURATION: the token</td></tr>
 * <tr><td>400/5007 no such model, 404 (3042)</td><td>CONFIGURATION: base URL, account or model</td></tr>
 * <tr><td>408 (3007), 5xx</td><td>retry; REMOTE_FAILURE when exhausted; counts for the circuit breaker</td></tr>
 * <tr><td>429 (3021 rate limit, 3040 out of capacity)</td><td>retry after Retry-After; OVERLOADED when
 * exhausted</td></tr>
 * <tr><td>429/3036 daily allocation used up</td><td>OVERLOADED at once (retrying today cannot help)</td></tr>
 * <tr><td>anything else, or a 2xx that is not a result list</td><td>REMOTE_FAILURE</td></tr>
 * </table>
 *
 * Remote messages are quoted in ours with the API token masked, should a server ever echo it.
 */
final class ResponseMapper {
    static final int CODE_BAD_INPUT = 5006;
    static final int CODE_NO_SUCH_MODEL = 5007;
    static final int CODE_BAD_HEADERS = 6003;
    static final int CODE_DAILY_ALLOCATION = 3036;

    private static final Envelope NO_ENVELOPE = new Envelope(false, Optional.empty(), List.of());

    private final CloudflareConfig config;

    ResponseMapper(CloudflareConfig config) {
        this.config = config;
    }

    Verdict map(int status, byte[] body, Optional<Duration> retryAfter) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(body);
        } catch (Envelope.Malformed e) {
            return withoutEnvelope(status, e.getMessage(), retryAfter);
        }
        if (status >= 200 && status < 300) {
            return success(status, envelope);
        }
        return failure(status, envelope, retryAfter);
    }

    private Verdict success(int status, Envelope envelope) {
        if (!envelope.success() || envelope.result().isEmpty()) {
            return new Verdict.Fatal(remote("answered HTTP " + status + " without a result list"
                    + envelope.firstError().map(e -> " (" + quote(e) + ")").orElse("") + "."));
        }
        if (envelope.result().get().isEmpty()) {
            return new Verdict.Fatal(remote("answered an empty result list."));
        }
        return new Verdict.Answered(envelope.result().get());
    }

    private Verdict failure(int status, Envelope envelope, Optional<Duration> retryAfter) {
        int code = envelope.firstError().map(Envelope.ApiError::code).orElse(0);
        String what = "HTTP " + status + envelope.firstError().map(e -> " (" + quote(e) + ")").orElse("");
        if (status == 401 || status == 403 || code == CODE_BAD_HEADERS) {
            return new Verdict.Fatal(ArgusException.configuration("Cloudflare rejected the API token (" + what
                    + "): check CLOUDFLARE_API_TOKEN and that it has Workers AI permission."));
        }
        if (status == 404 || code == CODE_NO_SUCH_MODEL) {
            return new Verdict.Fatal(ArgusException.configuration("Cloudflare has no model " + config.model()
                    + " for account " + config.accountId() + " at " + config.host() + " (" + what
                    + "): check the base URL, the account id and the model id."));
        }
        if (status == 413) {
            return new Verdict.ImageRefused(ErrorCode.INPUT_TOO_LARGE, "Cloudflare refused the image as too large ("
                    + what + "). Send a smaller image.");
        }
        if (status == 400) {
            return new Verdict.ImageRefused(ErrorCode.INVALID_INPUT, "Cloudflare could not use the image (" + what
                    + "): send the bytes of a JPEG, PNG, GIF, BMP or WebP file.");
        }
        if (status == 429 && code == CODE_DAILY_ALLOCATION) {
            return new Verdict.Fatal(new ArgusException(ErrorCode.OVERLOADED, "Cloudflare Workers AI's daily "
                    + "allocation for this account is used up (" + what + "). Try again tomorrow or upgrade the plan."));
        }
        if (status == 429) {
            return new Verdict.Retryable("rate limiting, " + what, retryAfter, false,
                    ErrorCode.OVERLOADED);
        }
        if (status == 408 || status >= 500 && status < 600) {
            return new Verdict.Retryable(what, retryAfter, true, ErrorCode.REMOTE_FAILURE);
        }
        return new Verdict.Fatal(remote("answered an unexpected " + what + "."));
    }

    /**
     * Not an envelope: proxies and load balancers answer HTML or nothing. An error is judged by its status alone; a
     * 2xx must be an envelope.
     */
    private Verdict withoutEnvelope(int status, String why, Optional<Duration> retryAfter) {
        if (status >= 200 && status < 300) {
            return new Verdict.Fatal(remote("answered HTTP " + status + " with a body that is not Cloudflare's "
                    + "envelope: " + why + "."));
        }
        return failure(status, NO_ENVELOPE, retryAfter);
    }

    private ArgusException remote(String message) {
        return new ArgusException(ErrorCode.REMOTE_FAILURE, "Cloudflare Workers AI at " + config.host() + " " + message);
    }

    /** A remote error for our messages: code and message, the token masked, at most 300 characters. */
    String quote(Envelope.ApiError e) {
        String text = e.toString().replace(config.apiToken(), "****");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
