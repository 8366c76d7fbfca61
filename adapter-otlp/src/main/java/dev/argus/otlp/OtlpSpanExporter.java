package dev.argus.otlp;

import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Exports spans to an OpenTelemetry collector over OTLP/HTTP with JSON encoding ({@code POST {endpoint}/v1/traces}).
 * {@link #export} only queues: a lock-free bounded queue, full at {@link OtlpConfig#queueSize()}, past which spans
 * are dropped and counted (never waited for). One background thread sends what is waiting in batches, at every flush
 * interval or as soon as a batch is full; a batch the collector refuses or does not take in time is lost and counted,
 * not retried. Losses are logged at most once a minute. {@link #close()} sends what is left, within the timeout.
 */
public final class OtlpSpanExporter implements SpanExporter, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OtlpSpanExporter.class.getName());
    private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final OtlpConfig config;
    private final String version;
    private final HttpClient client;
    private final ConcurrentLinkedQueue<Span> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread worker;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private long lastReport = System.nanoTime() - REPORT_EVERY_NANOS;
    private long droppedReported;
    private long failedReported;
    private String lastFailure = "";

    private OtlpSpanExporter(OtlpConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        String v = OtlpSpanExporter.class.getPackage().getImplementationVersion();
        this.version = v == null ? "dev" : v;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.worker = new Thread(this::work, "argus-otlp-export");
        this.worker.setDaemon(true);
    }

    /** An exporter to {@code config.endpoint()}, its thread started. Nothing is sent until spans come. */
    public static OtlpSpanExporter start(OtlpConfig config) {
        OtlpSpanExporter e = new OtlpSpanExporter(config);
        e.worker.start();
        LOG.log(Level.INFO, "Exporting spans to {0} (OTLP/HTTP JSON, service.name {1}, queue {2}, batches of {3})",
                config.tracesUrl(), config.serviceName(), String.valueOf(config.queueSize()), String.valueOf(config.batchSize()));
        return e;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void export(Span span) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        int n = queued.incrementAndGet();
        if (n > config.queueSize()) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(span);
        if (n == config.batchSize()) {
            LockSupport.unpark(worker); // a full batch goes now
        }
    }

    /** Spans dropped because the queue was full (or the exporter closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Spans the collector accepted. */
    public long sent() {
        return sent.get();
    }

    /** Spans lost because their batch could not be delivered. */
    public long failed() {
        return failed.get();
    }

    private void work() {
        long interval = config.flushInterval().toNanos();
        while (!closed) {
            if (queued.get() < config.batchSize()) {
                LockSupport.parkNanos(this, interval);
            }
            drain();
            report();
        }
        drain(); // what was queued before close
        report();
    }

    /** Sends everything waiting, a batch at a time. */
    private void drain() {
        while (queued.get() > 0) {
            List<Span> batch = new ArrayList<>(Math.min(queued.get(), config.batchSize()));
            Span s;
            while (batch.size() < config.batchSize() && (s = queue.poll()) != null) {
                batch.add(s);
            }
            queued.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                return;
            }
            send(batch);
        }
    }

    private void send(List<Span> batch) {
        HttpRequest request = HttpRequest.newBuilder(config.tracesUrl()).timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "argus-otlp-exporter/" + version)
                .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpJson.encode(batch, config.serviceName(), version)))
                .build();
        try {
            HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                sent.addAndGet(batch.size());
                return;
            }
            lastFailure = "HTTP " + r.statusCode();
        } catch (IOException e) {
            lastFailure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastFailure = "interrupted";
        }
        failed.addAndGet(batch.size());
    }

    /** Losses since the last report, at most once a minute (and at the end). */
    private void report() {
        long now = System.nanoTime();
        if (now - lastReport < REPORT_EVERY_NANOS && !closed) {
            return;
        }
        long d = dropped.get() - droppedReported;
        long f = failed.get() - failedReported;
        if (d > 0 || f > 0) {
            List<String> what = new ArrayList<>(2);
            if (d > 0) {
                what.add(d + " span(s) dropped, the export queue being full (argus.tracing.queue-size)");
            }
            if (f > 0) {
                what.add(f + " span(s) lost, the collector not taking them (last: " + lastFailure + ")");
            }
            LOG.log(Level.WARNING, "Span export to " + config.tracesUrl() + ": " + String.join("; ", what));
            droppedReported += d;
            failedReported += f;
        }
        lastReport = now;
    }

    /** Sends what is queued (within the timeout) and stops. Idempotent; spans exported afterwards are dropped. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        LockSupport.unpark(worker);
        try {
            worker.join(config.timeout().toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
    }

    @Override
    public String toString() {
        return "OtlpSpanExporter[" + config.tracesUrl() + "]";
    }
}
