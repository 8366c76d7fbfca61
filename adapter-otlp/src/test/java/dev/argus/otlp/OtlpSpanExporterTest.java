package dev.argus.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.domain.ArgusException;
import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The exporter against a collector stand-in: the OTLP JSON shape, batching, flushing, dropping, failures. */
class OtlpSpanExporterTest {
    static final TraceContext CALLER = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=v");

    static Span span(TraceContext context, String name, Span.Kind kind, boolean error) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return new Span(context, name, kind, now, now + 1_500_000, Map.of("http.response.status_code", 503L, "http.route", "/v1/classify",
                "ratio", 0.5, "cached", true), error, error ? "HTTP 503" : "");
    }

    static OtlpConfig config(Collector c) {
        return OtlpConfig.of(c.endpoint()).withFlushInterval(Duration.ofMillis(50)).withTimeout(Duration.ofSeconds(5));
    }

    @Test
    void postsSpansAsOtlpJsonWithTheirIdsTimesKindsAttributesAndStatus() throws Exception {
        try (Collector collector = new Collector()) {
            TraceContext server = CALLER.child();
            TraceContext client = server.child();
            try (OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector))) {
                exporter.export(span(server, "POST /v1/classify", Span.Kind.SERVER, true));
                exporter.export(span(client, "POST", Span.Kind.CLIENT, false));
                exporter.export(span(server.child(), "decode", Span.Kind.INTERNAL, false));
            }
            assertThat(collector.requests).isNotEmpty().allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/v1/traces");
                assertThat(r.contentType()).isEqualTo("application/json");
            });
            JsonNode resource = collector.requests.get(0).body().path("resourceSpans").get(0).path("resource");
            assertThat(resource.path("attributes").get(0).path("key").asText()).isEqualTo("service.name");
            assertThat(resource.path("attributes").get(0).path("value").path("stringValue").asText()).isEqualTo("argus");
            assertThat(collector.requests.get(0).body().at("/resourceSpans/0/scopeSpans/0/scope/name").asText()).isEqualTo("dev.argus");

            List<JsonNode> spans = collector.spans();
            assertThat(spans).hasSize(3);
            JsonNode s = spans.get(0);
            assertThat(s.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(s.path("spanId").asText()).isEqualTo(server.spanId());
            assertThat(s.path("parentSpanId").asText()).isEqualTo("00f067aa0ba902b7");
            assertThat(s.path("traceState").asText()).isEqualTo("k=v");
            assertThat(s.path("name").asText()).isEqualTo("POST /v1/classify");
            assertThat(s.path("kind").asInt()).isEqualTo(2);
            assertThat(s.path("startTimeUnixNano").isTextual()).isTrue();
            assertThat(Long.parseLong(s.path("endTimeUnixNano").asText()) - Long.parseLong(s.path("startTimeUnixNano").asText()))
                    .isEqualTo(1_500_000);
            assertThat(s.at("/status/code").asInt()).isEqualTo(2);
            assertThat(s.at("/status/message").asText()).isEqualTo("HTTP 503");
            assertThat(Collector.attribute(s, "http.route")).isEqualTo("/v1/classify");
            JsonNode code = null;
            for (JsonNode a : s.path("attributes")) {
                if (a.path("key").asText().equals("http.response.status_code")) {
                    code = a.path("value");
                }
            }
            assertThat(code.path("intValue").asText()).isEqualTo("503");
            assertThat(Collector.attribute(s, "cached")).isEqualTo("true");
            assertThat(spans.get(1).path("kind").asInt()).isEqualTo(3);
            assertThat(spans.get(1).path("parentSpanId").asText()).isEqualTo(server.spanId());
            assertThat(spans.get(1).at("/status/code").asInt()).isZero();
            assertThat(spans.get(2).path("kind").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aRootSpanHasNoParent() throws Exception {
        try (Collector collector = new Collector(); OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector))) {
            exporter.export(span(TraceContext.root(true), "GET /", Span.Kind.SERVER, false));
            JsonNode s = collector.awaitSpans(1).get(0);
            assertThat(s.has("parentSpanId")).isFalse();
            assertThat(s.has("traceState")).isFalse();
        }
    }

    @Test
    void sendsWithinTheFlushIntervalWithoutBeingClosed() throws Exception {
        try (Collector collector = new Collector(); OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector))) {
            exporter.export(span(CALLER.child(), "a", Span.Kind.SERVER, false));
            assertThat(collector.awaitSpans(1)).hasSize(1);
            // the collector has the span before the exporter has read its answer and counted it
            long until = System.nanoTime() + 10_000_000_000L;
            while (exporter.sent() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(exporter.sent()).isEqualTo(1);
        }
    }

    @Test
    void sendsInBatchesOfAtMostTheBatchSize() throws Exception {
        try (Collector collector = new Collector()) {
            try (OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector).withBatchSize(4))) {
                for (int i = 0; i < 10; i++) {
                    exporter.export(span(CALLER.child(), "s" + i, Span.Kind.INTERNAL, false));
                }
            }
            assertThat(collector.spans()).hasSize(10);
            assertThat(collector.requests).allSatisfy(r -> assertThat(r.body().at("/resourceSpans/0/scopeSpans/0/spans").size())
                    .isLessThanOrEqualTo(4));
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        try (Collector collector = new Collector()) {
            collector.hold = new CountDownLatch(1);
            OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector).withQueueSize(4).withBatchSize(4)
                    .withFlushInterval(Duration.ofHours(1)));
            for (int i = 0; i < 4; i++) { // a full batch: sent at once, and held by the collector
                exporter.export(span(CALLER.child(), "first" + i, Span.Kind.INTERNAL, false));
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (collector.requests.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(collector.requests).hasSize(1);
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) { // 4 fit; the rest are dropped, at once
                exporter.export(span(CALLER.child(), "more" + i, Span.Kind.INTERNAL, false));
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
            assertThat(exporter.dropped()).isEqualTo(996);
            collector.hold.countDown();
            exporter.close();
            assertThat(collector.spans()).hasSize(8);
            assertThat(exporter.sent()).isEqualTo(8);
            exporter.export(span(CALLER.child(), "late", Span.Kind.INTERNAL, false));
            assertThat(exporter.dropped()).isEqualTo(997);
        }
    }

    @Test
    void aCollectorThatRefusesOrIsDownLosesTheBatchAndNothingElse() throws Exception {
        try (Collector collector = new Collector()) {
            collector.status = 503;
            OtlpSpanExporter exporter = OtlpSpanExporter.start(config(collector));
            exporter.export(span(CALLER.child(), "a", Span.Kind.INTERNAL, false));
            exporter.close();
            assertThat(exporter.failed()).isEqualTo(1);
            assertThat(exporter.sent()).isZero();
        }
        try (OtlpSpanExporter down = OtlpSpanExporter.start(OtlpConfig.of(URI.create("http://127.0.0.1:1"))
                .withTimeout(Duration.ofSeconds(2)))) {
            down.export(span(CALLER.child(), "a", Span.Kind.INTERNAL, false));
            down.close();
            assertThat(down.failed()).isEqualTo(1);
        }
    }

    @Test
    void theConfigurationIsValidatedAndTheTracesPathAppended() {
        assertThat(OtlpConfig.of(URI.create("http://localhost:4318")).tracesUrl()).hasToString("http://localhost:4318/v1/traces");
        assertThat(OtlpConfig.of(URI.create("http://collector:4318/")).tracesUrl()).hasToString("http://collector:4318/v1/traces");
        assertThat(OtlpConfig.of(URI.create("https://otel.example.com/otlp/v1/traces")).tracesUrl())
                .hasToString("https://otel.example.com/otlp/v1/traces");
        OtlpConfig d = OtlpConfig.of(URI.create("http://localhost:4318"));
        assertThat(d.serviceName()).isEqualTo("argus");
        assertThat(d.queueSize()).isEqualTo(2048);
        assertThat(d.batchSize()).isEqualTo(512);
        for (String bad : List.of("localhost:4318", "ftp://host/", "http:///x", "http://h:4318/?q=1", "http://user@h:4318")) {
            assertThatThrownBy(() -> OtlpConfig.of(URI.create(bad))).as(bad).isInstanceOf(ArgusException.class)
                    .hasMessageContaining("OTLP endpoint");
        }
        assertThatThrownBy(() -> d.withQueueSize(0)).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> d.withBatchSize(4096)).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> d.withFlushInterval(Duration.ZERO)).isInstanceOf(ArgusException.class);
    }
}
