package dev.argus.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.app.config.ServingConfig;
import dev.argus.domain.ArgusException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The listener of its own: GET and HEAD /metrics in Prometheus text, nothing else. */
class MetricsListenerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(MetricsListener listener, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheRegistryOnMetricsOnly() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("argus_test_things").help("Things").register(registry).inc(3);
        try (MetricsListener listener = MetricsListener.start(new ServingConfig.Metrics("127.0.0.1", 0), registry)) {
            assertThat(listener.port()).isPositive();
            assertThat(listener.describe()).isEqualTo("http://127.0.0.1:" + listener.port() + "/metrics");
            HttpResponse<String> metrics = send(listener, "GET", "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("argus_test_things_total 3.0");
            HttpResponse<String> head = send(listener, "HEAD", "/metrics");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(send(listener, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(send(listener, "GET", "/metrics/x").statusCode()).isEqualTo(404);
            HttpResponse<String> post = send(listener, "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void aPortInUseIsAConfigurationErrorNamingTheKey() {
        try (MetricsListener first = MetricsListener.start(new ServingConfig.Metrics("127.0.0.1", 0), new PrometheusRegistry())) {
            assertThatThrownBy(() -> MetricsListener.start(new ServingConfig.Metrics("127.0.0.1", first.port()),
                    new PrometheusRegistry())).isInstanceOf(ArgusException.class).hasMessageContaining("argus.metrics.port");
        }
    }

    @Test
    void closingTwiceIsHarmlessAndStopsServing() throws Exception {
        MetricsListener listener = MetricsListener.start(new ServingConfig.Metrics("127.0.0.1", 0), new PrometheusRegistry());
        int port = listener.port();
        listener.close();
        listener.close();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }
}
