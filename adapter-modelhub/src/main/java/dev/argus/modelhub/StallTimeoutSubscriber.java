package dev.argus.modelhub;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an {@link InputStream} whose reads fail with {@link SocketTimeoutException} when no data comes
 * for the stall timeout. The JDK's {@code BodyHandlers.ofInputStream()} would block forever on a stalled transfer:
 * {@code HttpRequest.timeout} only covers the wait for the headers.
 */
final class StallTimeoutSubscriber implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final long timeoutNanos;
    private final Duration timeout;
    private final CompletableFuture<InputStream> body;
    private volatile Flow.Subscription subscription;

    StallTimeoutSubscriber(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.body = CompletableFuture.completedFuture(new Stream());
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        signals.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        signals.add(throwable);
    }

    @Override
    public void onComplete() {
        signals.add(END);
    }

    private final class Stream extends InputStream {
        private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
        private ByteBuffer current = ByteBuffer.allocate(0);
        private boolean done;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                } else if (!awaitNext()) {
                    return -1;
                }
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        @SuppressWarnings("unchecked")
        private boolean awaitNext() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (done) {
                return false;
            }
            Object signal;
            try {
                signal = signals.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InterruptedIOException("interrupted while reading the response body");
            }
            if (signal == null) {
                close();
                throw new SocketTimeoutException("no data received for " + timeout.toMillis() + " ms");
            }
            if (signal == END) {
                done = true;
                return false;
            }
            if (signal instanceof Throwable t) {
                done = true;
                throw t instanceof IOException io ? io : new IOException(t);
            }
            buffers = ((List<ByteBuffer>) signal).iterator();
            subscription.request(1);
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                Flow.Subscription s = subscription;
                if (!done && s != null) {
                    s.cancel();
                }
            }
        }
    }
}
