package dev.argus.app.serve;

import dev.argus.grpc.GrpcServerMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gRPC server's series, as grpc-java-prometheus and go-grpc-prometheus name them: {@code grpc_server_started_total},
 * {@code grpc_server_handled_total{grpc_code}}, {@code grpc_server_msg_received_total},
 * {@code grpc_server_msg_sent_total} and the histogram {@code grpc_server_handling_seconds}, each labelled
 * {@code grpc_type}, {@code grpc_service} and {@code grpc_method}; and {@code argus_grpc_calls_in_flight}, REST's
 * {@code argus_http_requests_in_flight} for gRPC. Read from the server's {@link GrpcServerMetrics} when scraped; a
 * method appears from its first call.
 */
final class GrpcMetrics implements MultiCollector {
    static final List<String> NAMES = List.of("grpc_server_started", "grpc_server_handled", "grpc_server_msg_received",
            "grpc_server_msg_sent", "grpc_server_handling_seconds", "argus_grpc_calls_in_flight");

    private final Supplier<List<GrpcServerMetrics.MethodCalls>> calls;
    private final double[] bounds;

    private GrpcMetrics(Supplier<List<GrpcServerMetrics.MethodCalls>> calls) {
        this.calls = calls;
        List<Double> b = new ArrayList<>(GrpcServerMetrics.latencyBounds());
        b.add(Double.POSITIVE_INFINITY);
        this.bounds = b.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Registers the series of the calls {@code calls} gives when scraped ({@link GrpcServerMetrics#snapshot()}). */
    static void register(PrometheusRegistry registry, Supplier<List<GrpcServerMetrics.MethodCalls>> calls) {
        registry.register(new GrpcMetrics(calls));
    }

    @Override
    public MetricSnapshots collect() {
        List<GrpcServerMetrics.MethodCalls> methods = calls.get();
        CounterSnapshot.Builder started = CounterSnapshot.builder().name("grpc_server_started")
                .help("Total number of RPCs started on the server");
        CounterSnapshot.Builder handled = CounterSnapshot.builder().name("grpc_server_handled")
                .help("Total number of RPCs completed on the server, regardless of success or failure");
        CounterSnapshot.Builder received = CounterSnapshot.builder().name("grpc_server_msg_received")
                .help("Total number of RPC stream messages received on the server");
        CounterSnapshot.Builder sent = CounterSnapshot.builder().name("grpc_server_msg_sent")
                .help("Total number of gRPC stream messages sent by the server");
        HistogramSnapshot.Builder seconds = HistogramSnapshot.builder().name("grpc_server_handling_seconds")
                .help("Histogram of response latency (seconds) of gRPC that had been application-level handled by the server");
        GaugeSnapshot.Builder inFlight = GaugeSnapshot.builder().name("argus_grpc_calls_in_flight")
                .help("gRPC calls started and not yet finished");
        for (GrpcServerMetrics.MethodCalls m : methods) {
            Labels labels = Labels.of("grpc_type", m.type(), "grpc_service", m.service(), "grpc_method", m.method());
            started.dataPoint(counter(m.started(), labels));
            for (Map.Entry<String, Long> byCode : m.handled().entrySet()) {
                handled.dataPoint(counter(byCode.getValue(), labels.add("grpc_code", byCode.getKey())));
            }
            received.dataPoint(counter(m.received(), labels));
            sent.dataPoint(counter(m.sent(), labels));
            long[] counts = m.latencyBuckets().stream().mapToLong(Long::longValue).toArray();
            seconds.dataPoint(HistogramDataPointSnapshot.builder().labels(labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(m.latencySeconds()).build());
            inFlight.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(m.inFlight()).build());
        }
        if (methods.isEmpty()) {
            return MetricSnapshots.of();
        }
        List<MetricSnapshot> all = List.of(started.build(), handled.build(), received.build(), sent.build(), seconds.build(),
                inFlight.build());
        return new MetricSnapshots(all);
    }

    private static CounterDataPointSnapshot counter(long value, Labels labels) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }
}
