package dev.argus.rest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** The server's Prometheus series (all prefixed {@code argus_http_}, plus the model gauges). */
final class RestMetrics {
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram duration;
    private final Histogram batchSize;
    private final Counter errors;
    private final Gauge modelLoadSeconds;

    RestMetrics(PrometheusRegistry registry, IntSupplier inFlight, IntSupplier queued, BooleanSupplier ready) {
        this.registry = registry;
        this.requests = Counter.builder().name("argus_http_requests")
                .help("HTTP requests by route, method and status").labelNames("route", "method", "status")
                .register(registry);
        this.duration = Histogram.builder().name("argus_http_request_duration_seconds")
                .help("HTTP request latency by route").labelNames("route")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        this.batchSize = Histogram.builder().name("argus_http_batch_size")
                .help("Images per classification request").classicOnly()
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)
                .register(registry);
        this.errors = Counter.builder().name("argus_http_errors")
                .help("Error answers by Cloudflare error code").labelNames("code")
                .register(registry);
        this.modelLoadSeconds = Gauge.builder().name("argus_model_load_seconds")
                .help("Seconds the model took to load (and warm up)").register(registry);
        GaugeWithCallback.builder().name("argus_http_requests_in_flight")
                .help("Classification requests admitted and not yet finished")
                .callback(cb -> cb.call(inFlight.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("argus_http_queue_depth")
                .help("Connections/requests waiting for an HTTP thread")
                .callback(cb -> cb.call(queued.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("argus_model_ready")
                .help("1 when the model is ready to serve (after warm-up), else 0")
                .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0)).register(registry);
    }

    void request(String route, String method, int status, double seconds) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        duration.labelValues(route).observe(seconds);
    }

    void batch(int images) {
        batchSize.observe(images);
    }

    void error(int cloudflareCode) {
        errors.labelValues(Integer.toString(cloudflareCode)).inc();
    }

    void modelLoadSeconds(double seconds) {
        modelLoadSeconds.set(seconds);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            TEXT.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
