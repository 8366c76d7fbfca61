package dev.argus.rest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * CORS, by {@link RestConfig.Cors}. Off: nothing is added anywhere. On: every answer carries {@code Vary: Origin}
 * (whether it names the caller's origin depends on it, and caches must know), and an answer to an allowed
 * {@code Origin}, errors and early refusals included, carries {@code Access-Control-Allow-Origin} and the response
 * headers a script may read. A preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) from an allowed origin for a path a route serves is answered here, with 204,
 * before authentication: browsers send no token with it. The request that follows still needs one.
 */
final class CrossOrigin {
    /** What Argus's clients send: tokens, JSON or binary tensors, trace context, their own request id. */
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Inference-Header-Content-Length, traceparent, "
            + "tracestate, X-Request-Id";
    /** Response headers a script may read beyond the safelisted ones. */
    static final String EXPOSE_HEADERS = "X-Request-Id, Retry-After, Inference-Header-Content-Length, WWW-Authenticate, traceparent";

    private final RestConfig.Cors cors;

    CrossOrigin(RestConfig.Cors cors) {
        this.cors = cors;
    }

    /** Adds the headers every answer carries; to be called before anything can fail. */
    void decorate(Context ctx) {
        if (!cors.enabled()) {
            return;
        }
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (cors.allows(origin)) {
            ctx.header("Access-Control-Allow-Origin", cors.origins().contains("*") ? "*" : origin);
            ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        }
    }

    /** Whether this is a preflight from an allowed origin (then {@link #answerPreflight} answers it, for a route). */
    boolean allowedPreflight(Context ctx) {
        return cors.enabled() && ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null
                && cors.allows(ctx.header("Origin"));
    }

    /** Answers an allowed preflight for a route serving {@code methods}: 204 and what the browser needs to know. */
    void answerPreflight(Context ctx, List<String> methods) {
        ctx.header("Access-Control-Allow-Methods", String.join(", ", methods));
        ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
        ctx.header("Access-Control-Max-Age", Long.toString(cors.maxAge().toSeconds()));
        ctx.status(204);
    }
}
