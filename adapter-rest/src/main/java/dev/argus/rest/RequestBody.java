package dev.argus.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.service.Admission;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EndPoint;

/**
 * Reads a request body without ever holding more than the limit, or more than has arrived, and tells JSON bodies from
 * image files.
 */
final class RequestBody {
    private RequestBody() {
    }

    /**
     * Reads at most {@code limit} bytes, by {@code deadline} ({@link System#nanoTime()}). A declared Content-Length
     * above the limit is refused before reading; a body without one (chunked) is refused as soon as it passes the
     * limit. Below the limit the declared length is only a claim: memory is taken in {@link Body#CHUNK}s as bytes
     * arrive, each reserved in the admission's memory first, so a client that announces 64 MiB and sends 10 bytes costs 64 KiB.
     * A body that has not arrived by the deadline (a client trickling it, or one that declared more than it sends)
     * is answered 408/3007, so that it cannot hold its admission longer than any other request.
     */
    static Body read(InputStream in, long declaredLength, long limit, long deadline, Admission admission) {
        if (declaredLength > limit) {
            throw RestError.tooLarge(limit);
        }
        Body body = new Body(admission);
        long start = System.nanoTime();
        byte[] probe = new byte[1];
        byte[] chunk = null;
        int filled = 0;
        boolean complete = false;
        try {
            while (true) {
                int n;
                if (chunk == null || filled == chunk.length) {
                    // a new chunk only once a byte has arrived for it
                    n = in.read(probe);
                    if (n > 0) {
                        chunk = body.newChunk();
                        chunk[0] = probe[0];
                        filled = 0;
                    }
                } else {
                    n = in.read(chunk, filled, chunk.length - filled);
                }
                if (n < 0) {
                    complete = true;
                    return body;
                }
                filled += n;
                body.filled(n);
                if (body.size() > limit) {
                    throw RestError.tooLarge(limit);
                }
                long now = System.nanoTime();
                if (now - deadline > 0 || tooSlow(body.size(), now - start)) {
                    throw slow(body.size());
                }
            }
        } catch (IOException | HttpException.RuntimeException e) { // Jetty: a broken or timed-out read
            if (isTimeout(e) || System.nanoTime() - deadline > 0) {
                throw slow(body.size());
            }
            throw RestError.invalid("The request body could not be read completely: " + e.getMessage());
        } finally {
            if (!complete) {
                body.close(); // on any failure, Errors included, the reserved bytes go back
            }
        }
    }

    /** The request's body, read by the request's deadline ({@link #beforeDeadline}); close it when the request ends. */
    static Body read(io.javalin.http.Context ctx, long limit, Admission.Ticket ticket, Admission admission) {
        for (String header : java.util.Collections.list(ctx.req().getHeaders("Content-Encoding"))) {
            for (String encoding : header.split(",")) {
                if (!encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                    // read as it is, a compressed body would be refused as "not an image" or as bad JSON, which misleads
                    throw new RestError(415, 5006, "Content-Encoding '" + encoding.trim() + "' is not supported: send the "
                            + "body uncompressed (images are compressed already; tritonclient: leave request_compression_algorithm unset).");
                }
            }
        }
        long deadline = System.nanoTime() + Math.min(ticket.deadline().remainingNanos(), Long.MAX_VALUE / 4);
        Exchange.bodyRead(ctx);
        return beforeDeadline(ctx.req(), deadline, () -> {
            InputStream in;
            try {
                in = ctx.req().getInputStream();
            } catch (IOException e) {
                throw RestError.invalid("The request body could not be read: " + e.getMessage());
            }
            return read(in, ctx.req().getContentLengthLong(), limit, deadline, admission);
        });
    }

    /** Jetty's idle timeout while blocked on a read, or a 408 Jetty answered itself. */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || (t instanceof HttpException http && http.getCode() == 408)) {
                return true;
            }
        }
        return false;
    }

    static RestError slow(long received) {
        return RestError.of(ErrorCode.TIMEOUT, "The request body did not arrive in time (" + received
                + " bytes received): send it at once, at " + MIN_DATA_RATE + " bytes/s or more, within the request timeout.");
    }

    /** Bytes per second a request body must keep up, once {@link #RATE_GRACE_NANOS} have passed. */
    static final long MIN_DATA_RATE = 1024;
    /** Time a body gets before its rate counts: small bodies read late on a busy server are not slow clients. */
    static final long RATE_GRACE_NANOS = 2_000_000_000L;

    /** A body trickled slower than {@link #MIN_DATA_RATE} after the grace period (slowloris). */
    static boolean tooSlow(long received, long elapsedNanos) {
        return elapsedNanos > RATE_GRACE_NANOS && received * 1_000_000_000L / elapsedNanos < MIN_DATA_RATE;
    }

    /**
     * Runs {@code read} with the connection's idle timeout cut to what is left until {@code deadline}, so that a read
     * stalled on a client that stopped sending fails at the deadline rather than after the connection's own idle
     * timeout (which must cover the time a response takes); restores it afterwards. The cut timeout counts from now.
     */
    static <T> T beforeDeadline(jakarta.servlet.http.HttpServletRequest request, long deadline, java.util.function.Supplier<T> read) {
        EndPoint endPoint = endPoint(request);
        if (endPoint == null) {
            return read.get();
        }
        long saved = endPoint.getIdleTimeout();
        if (endPoint instanceof org.eclipse.jetty.io.IdleTimeout idle) {
            // the cut counts from now: the connection may have been quiet for a while (a request waiting up to a second
            // for admission sends nothing), and a cut below that quiet time would expire at once; Jetty would then fail
            // this read, or, if the expiry lands after the request ends, the connection's next request's first read
            idle.notIdle();
        }
        endPoint.setIdleTimeout(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        try {
            return read.get();
        } finally {
            endPoint.setIdleTimeout(saved);
        }
    }

    private static EndPoint endPoint(jakarta.servlet.http.HttpServletRequest request) {
        ServletContextRequest base = ServletContextRequest.getServletContextRequest(request);
        return base == null ? null : base.getConnectionMetaData().getConnection().getEndPoint();
    }

    /**
     * JSON if the content type says so, or if the body's first non-blank byte is {@code '{'}: no image format starts
     * with it (JPEG FF D8, PNG 89 'P', GIF 'G', BMP 'B', WebP 'R'), so a raw file is never taken for JSON.
     */
    static boolean isJson(String contentType, Body body) {
        if (contentType != null) {
            String ct = contentType.toLowerCase(Locale.ROOT);
            if (ct.startsWith("application/json") || ct.contains("+json")) {
                return true;
            }
        }
        return body.firstNonBlank() == '{';
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }
}
