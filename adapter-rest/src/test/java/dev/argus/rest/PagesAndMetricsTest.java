package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.TestServer.CF_PATH;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PagesAndMetricsTest {
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void servesAnOpenApiDocumentListingEveryRoute() {
        HttpResponse<String> r = s.get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode spec = json(r);
        assertThat(spec.get("openapi").asText()).startsWith("3.0");
        List<String> paths = new ArrayList<>();
        spec.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/client/v4/accounts/{account_id}/ai/run/{model}", "/v1/classify", "/v2",
                "/v2/health/live", "/v2/health/ready", "/v2/models/{model}", "/v2/models/{model}/versions/{version}",
                "/v2/models/{model}/ready", "/v2/models/{model}/config", "/v2/models/{model}/infer",
                "/v2/models/{model}/versions/{version}/infer", "/metrics", "/", "/docs", "/openapi.json");
        spec.get("paths").forEach(item -> item.forEach(op -> {
            assertThat(op.get("responses").size()).isPositive();
            op.findValues("$ref").forEach(ref -> assertThat(spec.at(ref.asText().substring(1)).isMissingNode())
                    .as(ref.asText()).isFalse());
        }));
    }

    @Test
    void servesSelfContainedDocsAndDemoPages() {
        for (String path : new String[] {"/", "/docs"}) {
            HttpResponse<String> r = s.get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(r.body()).contains("<html").doesNotContain("http://", "https://", "<script src", "<link");
        }
        assertThat(s.get("/").body()).contains("/v1/classify");
        assertThat(s.get("/docs").body()).contains("/openapi.json");
    }

    @Test
    void echoesAGivenRequestIdAndMakesOneOtherwise() {
        HttpResponse<String> given = s.send(s.request(CF_PATH).header("X-Request-Id", "abc-123")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PNG)).build());
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        HttpResponse<String> made = s.post(CF_PATH, null, PNG);
        assertThat(made.headers().firstValue("X-Request-Id").orElse("")).matches("[0-9a-f-]{36}");
        HttpResponse<String> bad = s.send(s.request("/v2/health/live").header("X-Request-Id", "has spaces and <html>").GET().build());
        assertThat(bad.headers().firstValue("X-Request-Id").orElse("")).matches("[0-9a-f-]{36}");
        assertThat(s.get("/nope").headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void exposesRequestLatencyBatchInFlightErrorAndModelSeries() {
        s.server.recordModelLoadSeconds(1.25);
        s.post(CF_PATH, null, PNG);
        s.post("/v1/classify", null, "BAD".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = s.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body())
                .contains("argus_http_requests_total{method=\"POST\",route=\"/client/v4/accounts/{account_id}/ai/run/{model}\",status=\"200\"}")
                .contains("argus_http_requests_total{method=\"POST\",route=\"/v1/classify\",status=\"400\"}")
                .contains("argus_http_request_duration_seconds_bucket{route=\"/v1/classify\",le=\"0.005\"}")
                .contains("argus_http_batch_size_bucket{le=\"1.0\"}")
                .contains("argus_http_requests_in_flight ")
                .contains("argus_http_queue_depth ")
                .contains("argus_http_errors_total{code=\"5006\"}")
                .contains("argus_model_load_seconds 1.25")
                .contains("argus_model_ready 1.0");
    }
}
