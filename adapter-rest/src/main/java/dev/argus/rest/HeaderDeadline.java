package dev.argus.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * A request's head (request line and headers) must arrive within a deadline once its first byte has, or the
 * connection is closed with 408. Jetty's idle timeout alone does not stop a client that trickles a header byte every
 * few seconds ("slowloris"): each byte restarts it, so such a client could hold a connection for days.
 *
 * <p>On a new connection the clock starts when it opens: a client connects to send a request, and one that sends
 * nothing would otherwise hold a place under the connection limit for the whole idle timeout. After a response the
 * clock starts at the first byte of the next request: a keep-alive connection may rest with nothing to send for as long
 * as the idle timeout allows. A sweep every {@link #sweepPeriod} compares each resting connection's byte count with
 * what it was when it came to rest, so the first byte is noticed within one period, and the deadline holds to within
 * one period.
 *
 * <p>Install it on the connector (it hears connections open and close) and put {@link #requests()} in the server's
 * handler chain (it hears requests begin, once their head has arrived, and complete).
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger(HeaderDeadline.class.getName());
    private static final long LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long timeoutNanos;
    private final Duration sweepPeriod;
    private final LongSupplier clock;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong closedSinceLine = new AtomicLong();
    private volatile long lastLine = Long.MIN_VALUE;
    private ScheduledExecutorService sweeper;

    HeaderDeadline(Duration timeout) {
        this(timeout, System::nanoTime);
    }

    HeaderDeadline(Duration timeout, LongSupplier clock) {
        this.timeoutNanos = timeout.toNanos();
        this.sweepPeriod = Duration.ofMillis(Math.max(10, Math.min(1000, timeout.toMillis() / 4)));
        this.clock = clock;
    }

    /** Where each connection stands; guarded by itself. */
    private static final class Watch {
        final Connection connection;
        boolean inRequest;
        long bytesAtRest;
        long firstByteNanos = -1;

        Watch(Connection connection, long openedNanos) {
            this.connection = connection;
            this.bytesAtRest = connection.getBytesIn();
            this.firstByteNanos = openedNanos; // a new connection's first request is timed from the open
        }
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-rest-header-deadline");
            t.setDaemon(true);
            return t;
        });
        long period = sweepPeriod.toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        watches.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) { // TLS: the decrypted HTTP connection, not the TLS one beneath it
            watches.put(connection, new Watch(connection, clock.getAsLong()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watches.remove(connection);
    }

    /**
     * The handler that tells this deadline when a request's head has arrived (it is being handled) and when its
     * exchange is over; it passes every request on to the handler it wraps.
     */
    Handler.Wrapper requests() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Connection connection = request.getConnectionMetaData().getConnection();
                began(connection);
                Request.addCompletionListener(request, failure -> completed(connection));
                return super.handle(request, response, callback);
            }
        };
    }

    /** A request's head has arrived on {@code connection}: its deadline is met. */
    void began(Connection connection) {
        Watch watch = watches.get(connection);
        if (watch != null) {
            synchronized (watch) {
                watch.inRequest = true;
            }
        }
    }

    /** The exchange on {@code connection} is over: the connection rests until the next request's first byte. */
    void completed(Connection connection) {
        Watch watch = watches.get(connection);
        if (watch != null) {
            synchronized (watch) {
                watch.inRequest = false;
                watch.bytesAtRest = watch.connection.getBytesIn();
                watch.firstByteNanos = -1;
            }
        }
    }

    /** Closes the connections whose request head has been arriving for longer than the deadline. */
    void sweep() {
        try {
            sweepOnce();
        } catch (RuntimeException | Error e) { // a throwing task would end the schedule, and the protection with it
            LOG.log(System.Logger.Level.WARNING, "header deadline sweep failed; it runs again", e);
        }
    }

    private void sweepOnce() {
        long now = clock.getAsLong();
        for (Watch watch : watches.values()) {
            boolean late;
            synchronized (watch) {
                if (watch.inRequest || (watch.firstByteNanos < 0 && watch.connection.getBytesIn() == watch.bytesAtRest)) {
                    continue;
                }
                if (watch.firstByteNanos < 0) {
                    watch.firstByteNanos = now;
                }
                late = now - watch.firstByteNanos > timeoutNanos;
            }
            if (late) {
                watches.remove(watch.connection);
                close(watch.connection.getEndPoint());
            }
        }
    }

    /** Connections being watched (for tests and diagnostics). */
    int watched() {
        return watches.size();
    }

    private void close(EndPoint endPoint) {
        String body = "{\"result\":null,\"success\":false,\"errors\":[{\"message\":\"The request's headers did not arrive within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms of its first byte (argus.rest.header-timeout-ms).\",\"code\":3007}],\"messages\":[]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + bytes.length + "\r\n\r\n";
        try {
            // best effort and never blocking: a client that does not read gets no answer, only the close
            endPoint.flush(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(bytes));
            endPoint.shutdownOutput();
        } catch (Exception | Error ignored) {
            // the connection is closed below either way
        } finally {
            endPoint.close();
        }
        closedSinceLine.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine;
        if (last == Long.MIN_VALUE || now - last >= LOG_PERIOD_NANOS) {
            lastLine = now;
            LOG.log(System.Logger.Level.INFO, "closed {0} connection(s) whose request headers did not arrive within {1} ms"
                    + " (argus.rest.header-timeout-ms)", closedSinceLine.getAndSet(0), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
    }
}
