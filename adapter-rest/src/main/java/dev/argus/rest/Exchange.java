package dev.argus.rest;

import dev.argus.domain.TraceContext;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Per-request bookkeeping (route label, request id, bytes) and the one place that writes answers. */
final class Exchange {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    private static final String TRACE = "argus.trace";
    private static final String ROUTE = "argus.route";
    private static final String ID = "argus.id";
    private static final String OUT_BYTES = "argus.out";
    private static final String IN_BYTES = "argus.in";
    private static final String START = "argus.start";
    private static final String BODY_READ = "argus.body-read";
    /** A refused client comes back after this many seconds; by then one engine call at least has ended. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** How errors are written: Cloudflare's envelope, or the Open Inference Protocol's {@code {"error": ...}}. */
    enum Style { ENVELOPE, INFERENCE_PROTOCOL }

    private Exchange() {
    }

    /** Wraps a handler so the route's pattern (not the raw path) labels its logs and metrics. */
    static Handler route(String pattern, Handler h) {
        return ctx -> {
            ctx.attribute(ROUTE, pattern);
            h.handle(ctx);
        };
    }

    /** Labels a request that no route handles (e.g. a CORS preflight) for logs and metrics. */
    static void label(Context ctx, String name) {
        ctx.attribute(ROUTE, name);
    }

    static String route(Context ctx) {
        String r = ctx.attribute(ROUTE);
        return r == null ? "unmatched" : r;
    }

    static Style style(Context ctx) {
        return ctx.path().startsWith("/v2") ? Style.INFERENCE_PROTOCOL : Style.ENVELOPE;
    }

    static void begin(Context ctx, String id) {
        ctx.attribute(ID, id);
        ctx.attribute(START, System.nanoTime());
        ctx.header(REQUEST_ID_HEADER, id);
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.req().getHeader("Transfer-Encoding") != null;
    }

    /** The request's server span; its {@code traceparent} goes back to the caller. */
    static void trace(Context ctx, TraceContext span) {
        ctx.attribute(TRACE, span);
        ctx.header(TRACEPARENT, span.traceparent());
    }

    /** The request's server span, {@link TraceContext#NONE} when it is not traced. */
    static TraceContext trace(Context ctx) {
        TraceContext t = ctx.attribute(TRACE);
        return t == null ? TraceContext.NONE : t;
    }

    static String id(Context ctx) {
        String id = ctx.attribute(ID);
        return id == null ? "-" : id;
    }

    /** When the request began ({@link System#nanoTime()}); now for one that never began. */
    static long start(Context ctx) {
        Long start = ctx.attribute(START);
        return start == null ? System.nanoTime() : start;
    }

    static double seconds(Context ctx) {
        Long start = ctx.attribute(START);
        return start == null ? 0 : (System.nanoTime() - start) / 1e9;
    }

    static void bytesIn(Context ctx, long n) {
        ctx.attribute(IN_BYTES, n);
    }

    static long bytesIn(Context ctx) {
        Long n = ctx.attribute(IN_BYTES);
        return n == null ? Math.max(0, ctx.req().getContentLengthLong()) : n;
    }

    static long bytesOut(Context ctx) {
        Long n = ctx.attribute(OUT_BYTES);
        return n == null ? 0 : n;
    }

    static void reply(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status);
        ctx.contentType(contentType);
        ctx.result(body);
        ctx.attribute(OUT_BYTES, (long) body.length);
    }

    static void json(Context ctx, int status, Object node) {
        reply(ctx, status, "application/json", Json.bytes(node));
    }

    /** Marks that the request's body is being read (from here on, Jetty may keep the connection). */
    static void bodyRead(Context ctx) {
        ctx.attribute(BODY_READ, Boolean.TRUE);
    }

    /**
     * The largest unread body an error reads and throws away before answering, to keep the connection; a larger one
     * is answered first and closes it (after {@link LingeringClose} has read what still arrives).
     */
    static final long DISCARD_LIMIT = 256 * 1024;
    /** How long an error waits for the rest of a small unread body before it closes the connection instead. */
    static final long DISCARD_NANOS = 1_000_000_000L;

    /** Reads and throws away an unread body of at most {@link #DISCARD_LIMIT} bytes; false when it did not. */
    static boolean discardSmallBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared <= 0 || declared > DISCARD_LIMIT || ctx.req().getHeader("Expect") != null) {
            return false;
        }
        ctx.attribute(BODY_READ, Boolean.TRUE);
        long deadline = System.nanoTime() + DISCARD_NANOS;
        return RequestBody.beforeDeadline(ctx.req(), deadline, () -> {
            byte[] buffer = new byte[8192];
            long total = 0;
            try {
                java.io.InputStream in = ctx.req().getInputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > declared || System.nanoTime() - deadline > 0) {
                        return false;
                    }
                }
                return total == declared;
            } catch (java.io.IOException | RuntimeException e) { // a broken or timed-out read: close instead
                return false;
            }
        });
    }

    /**
     * Writes an error in the style of the route family. A 429 says when to come back ({@code Retry-After}). An error
     * answered before the body was read reads and throws away a small body ({@link #DISCARD_LIMIT}), so the client
     * gets the answer on a connection it can reuse; a larger body, one of unknown length or one the client waits to
     * send ({@code Expect: 100-continue}) is answered with {@code Connection: close} instead, without waiting for it.
     * (Closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer before the client
     * reads it: {@link LingeringClose} therefore reads and throws away what still arrives after the answer, within
     * its limits, before the connection closes; a client waiting for {@code 100-continue} sends nothing.)
     */
    static void error(Context ctx, RestError e) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (e.status() == 429) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        if (ctx.attribute(BODY_READ) == null && hasBody(ctx) && !discardSmallBody(ctx)) {
            ctx.header("Connection", "close");
        }
        if (style(ctx) == Style.INFERENCE_PROTOCOL) {
            json(ctx, e.status(), Json.object().put("error", e.getMessage()));
        } else {
            json(ctx, e.status(), RestCloudflareWire.failure(e.cloudflareCode(), e.getMessage()));
        }
    }
}
