package dev.argus.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.grpc.GrpcServerMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gRPC server's calls as grpc-java-prometheus's series: started, handled by code, messages, latency, in flight. */
class GrpcMetricsTest {
    private static List<Long> buckets(int... atIndex) {
        List<Long> b = new ArrayList<>(Collections.nCopies(GrpcServerMetrics.latencyBounds().size() + 1, 0L));
        for (int i : atIndex) {
            b.set(i, b.get(i) + 1);
        }
        return b;
    }

    @Test
    void rendersEachMethodsCallsWithTheGrpcLabels() {
        int at5ms = GrpcServerMetrics.latencyBounds().indexOf(0.005);
        int at1s = GrpcServerMetrics.latencyBounds().indexOf(1.0);
        List<GrpcServerMetrics.MethodCalls> calls = List.of(
                new GrpcServerMetrics.MethodCalls("argus.v1.Classifier", "Classify", "unary", 4,
                        Map.of("OK", 2L, "RESOURCE_EXHAUSTED", 1L), 3, 2, 1, buckets(at5ms, at5ms, at1s), 0.9),
                new GrpcServerMetrics.MethodCalls("argus.v1.Classifier", "ClassifyStream", "bidi_stream", 1, Map.of(), 5, 5, 1,
                        buckets(), 0));
        PrometheusRegistry registry = new PrometheusRegistry();
        GrpcMetrics.register(registry, () -> calls);
        String text = Scrape.text(registry);

        String classify = "grpc_method=\"Classify\",grpc_service=\"argus.v1.Classifier\",grpc_type=\"unary\"";
        assertThat(text).contains("grpc_server_started_total{" + classify + "} 4")
                .contains("grpc_server_handled_total{grpc_code=\"OK\"," + classify + "} 2")
                .contains("grpc_server_handled_total{grpc_code=\"RESOURCE_EXHAUSTED\"," + classify + "} 1")
                .contains("grpc_server_msg_received_total{" + classify + "} 3")
                .contains("grpc_server_msg_sent_total{" + classify + "} 2")
                .contains("argus_grpc_calls_in_flight{" + classify + "} 1")
                .contains("# TYPE grpc_server_handling_seconds histogram")
                .contains("grpc_server_handling_seconds_bucket{" + classify + ",le=\"0.001\"} 0")
                .contains("grpc_server_handling_seconds_bucket{" + classify + ",le=\"0.005\"} 2")
                .contains("grpc_server_handling_seconds_bucket{" + classify + ",le=\"1.0\"} 3")
                .contains("grpc_server_handling_seconds_bucket{" + classify + ",le=\"+Inf\"} 3")
                .contains("grpc_server_handling_seconds_count{" + classify + "} 3")
                .contains("grpc_server_handling_seconds_sum{" + classify + "} 0.9");
        assertThat(text).contains("grpc_server_msg_received_total{grpc_method=\"ClassifyStream\","
                + "grpc_service=\"argus.v1.Classifier\",grpc_type=\"bidi_stream\"} 5");
    }

    @Test
    void aServerWithoutCallsYetHasNoGrpcSeries() {
        PrometheusRegistry registry = new PrometheusRegistry();
        GrpcMetrics.register(registry, List::of);
        assertThat(Scrape.text(registry)).doesNotContain("grpc_server");
    }
}
