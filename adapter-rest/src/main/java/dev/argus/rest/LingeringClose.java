package dev.argus.rest;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Reads and discards the rest of a request body that was answered without being read (a 413 for a declared length
 * over the limit, a 401, a 429), after the answer has been sent and before the connection closes.
 *
 * <p>Without it Jetty closes the connection at once while the client is still sending. The kernel answers the bytes
 * that keep arriving on the closed socket with a reset, and the client's kernel drops what it had received but not
 * yet read - the answer itself. The client then sees "connection reset" or an empty response instead of the 413
 * that says what was wrong, and a client that sends the whole body before it reads (Python's requests) always does.
 * Web servers call the cure a lingering close (nginx's {@code lingering_close}): this one reads for at most
 * {@link #MAX_TIME} in all, {@link #MAX_QUIET} without a byte, and {@link #MAX_BYTES}, without blocking a thread and
 * without keeping what it reads (Jetty's buffers are released at once). A body read to its end leaves the connection
 * open for the next request; otherwise Jetty closes it as before, now after the client has had time to read the answer.
 *
 * <p>An error with a small body unread ({@link Exchange#DISCARD_LIMIT}) reads it before answering and keeps the
 * connection; this covers the larger ones, and the refusals made before a route runs.
 *
 * <p>The quiet time is the connection's idle timeout while the drain waits (restored when it ends): Jetty then wakes
 * the waiting read with a timeout, and no read is left pending when the exchange ends.
 *
 * <p>A request that expects {@code 100-continue} is not drained: its client sends no body until told to, and reading
 * would tell it to send the body that was refused.
 */
final class LingeringClose extends Handler.Wrapper {
    static final Duration MAX_TIME = Duration.ofSeconds(30);
    static final Duration MAX_QUIET = Duration.ofSeconds(5);
    static final long MAX_BYTES = 256L << 20;

    private final long maxTimeNanos;
    private final long maxQuietNanos;
    private final long maxBytes;

    LingeringClose() {
        this(MAX_TIME, MAX_QUIET, MAX_BYTES);
    }

    LingeringClose(Duration maxTime, Duration maxQuiet, long maxBytes) {
        this.maxTimeNanos = maxTime.toNanos();
        this.maxQuietNanos = maxQuiet.toNanos();
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
            return super.handle(request, response, callback);
        }
        Lingering exchange = new Lingering(request, response, callback);
        return super.handle(exchange.request, exchange.answer, exchange);
    }

    /**
     * Whether nothing of the body is left to drain: it was read to its end (every request that was served), or its
     * reading failed. Otherwise the first chunk of what is left has been read and discarded.
     */
    private static boolean readToTheEnd(Request request) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
            return false;
        }
        boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
        chunk.release();
        return end;
    }

    /** One exchange: the request and answer the handlers get, and the callback they end it with. */
    private final class Lingering implements Callback {
        private final Request wrapped;
        private final Callback callback;
        final Request request;
        final Response answer;
        private volatile boolean lastWritten;
        private volatile Drain drain;

        Lingering(Request wrapped, Response response, Callback callback) {
            this.wrapped = wrapped;
            this.callback = callback;
            // The servlet layer ends an exchange by consuming what has arrived of the body and failing the rest,
            // which could then no longer be read: that is left to the drain here.
            this.request = new Request.Wrapper(wrapped) {
                @Override
                public boolean consumeAvailable() {
                    return false;
                }
            };
            // Jetty fails the unread body once the answer's last write is done, so the drain goes between the
            // answer's bytes and its end: the client has the whole answer (its length declared) while the drain reads.
            this.answer = new Response.Wrapper(request, response) {
                @Override
                public void write(boolean last, ByteBuffer content, Callback written) {
                    if (!last || lastWritten || readToTheEnd(wrapped)) {
                        lastWritten |= last;
                        super.write(last, content, written);
                        return;
                    }
                    lastWritten = true;
                    if (!isCommitted() && !HttpStatus.hasNoBody(getStatus()) && !HttpMethod.HEAD.is(wrapped.getMethod())
                            && !getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                            && !getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                        getHeaders().put(HttpHeader.CONTENT_LENGTH, BufferUtil.length(content)); // the whole answer
                    }
                    super.write(false, content, Callback.from(() -> {
                        Drain d = new Drain(wrapped, () -> super.write(true, BufferUtil.EMPTY_BUFFER, written));
                        drain = d;
                        d.run();
                    }, written::failed));
                }
            };
        }

        @Override
        public void succeeded() {
            if (lastWritten || readToTheEnd(wrapped)) {
                callback.succeeded();
            } else { // the handlers ended without a last write: write it here, so the answer goes out before the drain
                answer.write(true, BufferUtil.EMPTY_BUFFER, Callback.from(callback::succeeded, callback::failed));
            }
        }

        @Override
        public void failed(Throwable failure) {
            Drain d = drain;
            if (d != null) {
                d.abandon();
            }
            callback.failed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }
    }

    /** One request's drain: runs once, again whenever more bytes arrive, and calls {@code then} once when it ends. */
    private final class Drain implements Runnable {
        private final Request request;
        private final Runnable then;
        private final EndPoint endPoint;
        private final long idleTimeout;
        private final long start = System.nanoTime();
        private long read;
        private boolean done;

        Drain(Request request, Runnable then) {
            this.request = request;
            this.then = then;
            this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            this.idleTimeout = endPoint.getIdleTimeout();
        }

        @Override
        public void run() {
            if (drain()) {
                then.run();
            }
        }

        /** Reads what has arrived; true when this call ended the drain (the caller then runs {@code then}). */
        private synchronized boolean drain() {
            if (done) {
                return false;
            }
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    long left = maxTimeNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return end();
                    }
                    // no byte within the quiet time (or the time left): Jetty wakes this read with a timeout
                    endPoint.setIdleTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, maxQuietNanos))));
                    request.demand(this);
                    return false;
                }
                read += chunk.remaining();
                boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
                chunk.release();
                if (end || read > maxBytes || System.nanoTime() - start > maxTimeNanos) {
                    return end();
                }
            }
        }

        private boolean end() {
            done = true;
            endPoint.setIdleTimeout(idleTimeout);
            return true;
        }

        /** The exchange failed while the drain waited: nothing more is read or written. */
        synchronized void abandon() {
            if (!done) {
                end();
            }
        }
    }
}
