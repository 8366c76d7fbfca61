package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Scrape;
import dev.argus.app.serve.Servers;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a running server, scraped over HTTP after real calls: the JVM's and the process's series, the
 * gRPC server's beside REST's, the engine stage's per model version; on REST and on the metrics listener, which also
 * serves them when REST is disabled.
 */
class MetricsIT {
    private static final String CLASSIFY = "grpc_method=\"Classify\"";
    private static final String PROBE = "model=\"argus/probe\"";

    private final HttpClient http = HttpClient.newHttpClient();

    private static Settings settings() {
        return TestConfigs.probeSettings().set(Key.SERVER_SHUTDOWN_GRACE_MS, "2000", "test").set(Key.METRICS_PORT, "0", "test");
    }

    private static Servers start(Settings s) {
        return Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
    }

    private static void classifyOverGrpc(Servers servers, int times) throws InterruptedException {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", servers.grpc().orElseThrow().port()).usePlaintext().build();
        try {
            ClassifyRequest request = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(ProbeCase.all().get(0).bytes())).build();
            for (int i = 0; i < times; i++) {
                ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).classify(request);
            }
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    private static double value(String text, String name, String... labels) {
        OptionalDouble v = Scrape.value(text, name, labels);
        assertThat(v).as(name + " " + String.join(",", labels) + " in\n" + text).isPresent();
        return v.getAsDouble();
    }

    /** What every scrape of a server that has served two gRPC calls holds, wherever it is served. */
    private static void assertJvmGrpcAndEngineSeries(String text) {
        assertThat(value(text, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
        assertThat(value(text, "jvm_memory_max_bytes", "area=\"heap\"")).isPositive();
        assertThat(value(text, "jvm_threads_current")).isGreaterThan(10);
        assertThat(value(text, "jvm_threads_peak")).isGreaterThanOrEqualTo(value(text, "jvm_threads_current"));
        assertThat(text).contains("jvm_gc_collection_seconds_count{gc=");
        assertThat(value(text, "process_cpu_seconds_total")).isPositive();
        assertThat(value(text, "process_resident_memory_bytes")).as("a JVM with ONNX Runtime loaded").isGreaterThan(32 << 20);
        assertThat(value(text, "process_open_fds")).isPositive();
        assertThat(value(text, "process_start_time_seconds")).isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0);

        assertThat(value(text, "grpc_server_started_total", CLASSIFY, "grpc_service=\"argus.v1.Classifier\"",
                "grpc_type=\"unary\"")).isEqualTo(2);
        assertThat(value(text, "grpc_server_handled_total", CLASSIFY, "grpc_code=\"OK\"")).isEqualTo(2);
        assertThat(value(text, "grpc_server_msg_received_total", CLASSIFY)).isEqualTo(2);
        assertThat(value(text, "grpc_server_msg_sent_total", CLASSIFY)).isEqualTo(2);
        assertThat(value(text, "grpc_server_handling_seconds_count", CLASSIFY)).isEqualTo(2);
        assertThat(value(text, "grpc_server_handling_seconds_sum", CLASSIFY)).isPositive().isLessThan(20);
        assertThat(value(text, "grpc_server_handling_seconds_bucket", CLASSIFY, "le=\"+Inf\"")).isEqualTo(2);
        assertThat(value(text, "argus_grpc_calls_in_flight", CLASSIFY)).isZero();

        assertThat(value(text, "argus_inference_request_success_total", PROBE, "version=\"1\""))
                .as("the warm-up's images and the two calls'").isGreaterThanOrEqualTo(5);
        assertThat(value(text, "argus_inference_compute_infer_duration_us_total", PROBE)).isPositive();
        assertThat(value(text, "argus_model_version_ready", PROBE)).isEqualTo(1);
        assertThat(value(text, "argus_model_version_info", PROBE, "backend=\"onnx\"", "device=\"cpu\"")).isEqualTo(1);
        assertThat(value(text, "argus_model_version_load_seconds", PROBE)).isPositive().isLessThan(120);
        assertThat(value(text, "argus_inference_workers", PROBE)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "argus_inference_threads_per_worker", PROBE)).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "argus_inference_max_batch_size", PROBE)).isEqualTo(8);
    }

    @Test
    void restsMetricsHoldTheJvmsTheGrpcServersAndTheEnginesSeriesAndSoDoesTheListener() throws Exception {
        try (Servers servers = start(settings())) {
            classifyOverGrpc(servers, 2);
            String rest = scrape(servers.rest().orElseThrow().port());
            assertJvmGrpcAndEngineSeries(rest);
            assertThat(rest).contains("argus_http_requests_in_flight").contains("argus_model_load_seconds");

            String listener = scrape(servers.metricsPort().orElseThrow());
            assertJvmGrpcAndEngineSeries(listener);
            assertThat(value(listener, "argus_http_requests_total", "route=\"/metrics\"", "status=\"200\""))
                    .as("one registry: REST's scrape above is counted in the listener's").isGreaterThanOrEqualTo(1);
            assertThat(servers.describe()).contains("metrics on http://127.0.0.1:" + servers.metricsPort().getAsInt() + "/metrics");
        }
    }

    @Test
    void withRestDisabledTheListenerServesTheMetrics() throws Exception {
        try (Servers servers = start(settings().set(Key.REST_ENABLED, "false", "test"))) {
            assertThat(servers.rest()).isEmpty();
            classifyOverGrpc(servers, 2);
            String text = scrape(servers.metricsPort().orElseThrow());
            assertJvmGrpcAndEngineSeries(text);
            assertThat(text).doesNotContain("argus_http_");
        }
    }
}
