package dev.argus.rest;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

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
        Scheduler scheduler = getServer().getScheduler();
        AtomicBoolean lastWritten = new AtomicBoolean();
        // The servlet layer ends an exchange by consuming what has arrived of the body and failing the rest, which
        // could then no longer be read: that is left to the drain here.
        Request unconsumed = new Request.Wrapper(request) {
            @Override
            public boolean consumeAvailable() {
                return false;
            }
        };
        // Jetty fails the unread body once the answer's last write is done, so the drain goes between the answer's
        // bytes and its end: the client has the whole answer (its length declared) while the drain reads.
        Response answer = new Response.Wrapper(unconsumed, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback written) {
                if (!last || !lastWritten.compareAndSet(false, true) || readToTheEnd(request)) {
                    super.write(last, content, written);
                    return;
                }
                if (!isCommitted() && !getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                        && !getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                    getHeaders().put(HttpHeader.CONTENT_LENGTH, BufferUtil.length(content)); // the whole answer
                }
                super.write(false, content, Callback.from(
                        () -> new Drain(request, scheduler, () -> super.write(true, BufferUtil.EMPTY_BUFFER, written)).run(),
                        written::failed));
            }
        };
        return super.handle(unconsumed, answer, new Callback() {
            @Override
            public void succeeded() {
                if (lastWritten.getAndSet(true) || readToTheEnd(request)) {
                    callback.succeeded();
                } else { // the answer ends with the exchange (Jetty writes its end): drain before it
                    new Drain(request, scheduler, callback::succeeded).run();
                }
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        });
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

    /** One request's drain: runs once, again whenever more bytes arrive, and calls {@code then} once when it ends. */
    private final class Drain implements Runnable {
        private final Request request;
        private final Scheduler scheduler;
        private final Runnable then;
        private final long start = System.nanoTime();
        private long read;
        private boolean done;
        private Scheduler.Task quiet;

        Drain(Request request, Scheduler scheduler, Runnable then) {
            this.request = request;
            this.scheduler = scheduler;
            this.then = then;
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
            if (quiet != null) {
                quiet.cancel();
                quiet = null;
            }
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    long left = maxTimeNanos - (System.nanoTime() - start);
                    if (left <= 0) {
                        return done = true;
                    }
                    quiet = scheduler.schedule(this::giveUp, Math.min(left, maxQuietNanos), TimeUnit.NANOSECONDS);
                    request.demand(this);
                    return false;
                }
                read += chunk.remaining();
                boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
                chunk.release();
                if (end || read > maxBytes || System.nanoTime() - start > maxTimeNanos) {
                    return done = true;
                }
            }
        }

        /** No byte came for the quiet time, or the whole time is up: the answer ends and Jetty closes the connection. */
        private void giveUp() {
            boolean ended;
            synchronized (this) {
                ended = !done;
                done = true;
                quiet = null;
            }
            if (ended) {
                then.run();
            }
        }
    }
}
