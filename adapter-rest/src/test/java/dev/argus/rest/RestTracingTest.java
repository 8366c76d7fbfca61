package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.TestServer.CF_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import dev.argus.ports.service.Tracing;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** W3C trace context over REST: accepted, answered, carried to the use case, in the access log, exported. */
class RestTracingTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";

    static final class Recorder implements SpanExporter {
        final List<Span> spans = new CopyOnWriteArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void export(Span span) {
            spans.add(span);
        }
    }

    private static HttpResponse<String> post(TestServer s, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = s.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return s.send(b.build());
    }

    @Test
    void answersWithTheServerSpanOfTheCallersTraceAndCarriesItToTheUseCase() {
        try (TestServer s = new TestServer()) {
            HttpResponse<String> r = post(s, CF_PATH, PNG, "traceparent", TRACEPARENT, "tracestate", "rojo=00f067aa0ba902b7");
            assertThat(r.statusCode()).isEqualTo(200);
            TraceContext answered = TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow(), null);
            assertThat(answered.traceId()).isEqualTo(TRACE);
            assertThat(answered.spanId()).isNotEqualTo(CALLER_SPAN);
            assertThat(answered.sampled()).isTrue();
            TraceContext seen = s.useCase.lastOptions.trace();
            assertThat(seen.traceId()).isEqualTo(TRACE);
            assertThat(seen.spanId()).isEqualTo(answered.spanId());
            assertThat(seen.parentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(seen.traceState()).isEqualTo("rojo=00f067aa0ba902b7");
        }
    }

    @Test
    void everyClassifyingRouteCarriesTheTrace() {
        try (TestServer s = new TestServer()) {
            assertThat(post(s, "/v1/classify", PNG, "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);
            assertThat(s.useCase.lastOptions.trace().traceId()).isEqualTo(TRACE);
            String batch = "{\"images\":[[137,80,78,71],[137,80,78,71]]}";
            assertThat(post(s, "/v1/classify", batch.getBytes(StandardCharsets.UTF_8), "traceparent", TRACEPARENT,
                    "Content-Type", "application/json").statusCode()).isEqualTo(200);
            assertThat(s.useCase.lastOptions.trace().parentSpanId()).isEqualTo(CALLER_SPAN);
        }
    }

    @Test
    void withoutAHeaderAndWithoutExportNothingIsTraced() {
        try (TestServer s = new TestServer()) {
            HttpResponse<String> r = post(s, CF_PATH, PNG);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("traceparent")).isEmpty();
            assertThat(s.useCase.lastOptions.trace()).isSameAs(TraceContext.NONE);
        }
    }

    @Test
    void anInvalidHeaderStartsANewTraceAndIsNeverAnError() {
        try (TestServer s = new TestServer()) {
            for (String bad : List.of("00-" + TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01", "garbage",
                    "00-00000000000000000000000000000000-" + CALLER_SPAN + "-01", "ff-" + TRACE + "-" + CALLER_SPAN + "-01")) {
                HttpResponse<String> r = post(s, CF_PATH, PNG, "traceparent", bad, "tracestate", "a=b");
                assertThat(r.statusCode()).as(bad).isEqualTo(200);
                TraceContext answered = TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow(), null);
                assertThat(answered.isPresent()).isTrue();
                assertThat(answered.traceId()).isNotEqualTo(TRACE);
                assertThat(s.useCase.lastOptions.trace().parentSpanId()).isEmpty();
                assertThat(s.useCase.lastOptions.trace().traceState()).isEmpty();
            }
        }
    }

    @Test
    void theAccessLogNamesTheTrace() {
        Logger access = Logger.getLogger("dev.argus.rest.access");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = access.getLevel();
        access.setLevel(Level.INFO);
        access.addHandler(h);
        try (TestServer s = new TestServer()) {
            post(s, CF_PATH, PNG, "traceparent", TRACEPARENT);
            post(s, CF_PATH, PNG);
        } finally {
            access.removeHandler(h);
            access.setLevel(before);
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("status=200").endsWith(" trace_id=" + TRACE));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("status=200").doesNotContain("trace_id"));
    }

    @Test
    void exportingRecordsAServerSpanForEveryRequestChildOfTheCaller() {
        Recorder recorder = new Recorder();
        try (TestServer s = new TestServer(RestConfig.defaults(), new Tracing(recorder))) {
            HttpResponse<String> r = post(s, CF_PATH, PNG, "traceparent", TRACEPARENT);
            TraceContext answered = TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow(), null);
            HttpResponse<String> fresh = post(s, CF_PATH, "BOOM".getBytes(StandardCharsets.UTF_8));
            assertThat(fresh.statusCode()).isEqualTo(500);
            assertThat(fresh.headers().firstValue("traceparent")).hasValueSatisfying(v -> assertThat(v).endsWith("-01"));
            HttpResponse<String> unsampled = post(s, CF_PATH, PNG, "traceparent", TRACEPARENT.replace("-01", "-00"));
            assertThat(unsampled.headers().firstValue("traceparent").orElseThrow()).endsWith("-00");
            HttpResponse<String> missing = s.get("/no/such/path");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("traceparent")).isPresent();

            assertThat(recorder.spans).hasSize(3); // the unsampled request is not recorded
            Span server = recorder.spans.get(0);
            assertThat(server.kind()).isEqualTo(Span.Kind.SERVER);
            assertThat(server.name()).isEqualTo("POST /client/v4/accounts/{account_id}/ai/run/{model}");
            assertThat(server.context().traceId()).isEqualTo(TRACE);
            assertThat(server.context().spanId()).isEqualTo(answered.spanId());
            assertThat(server.context().parentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(server.attributes()).containsEntry("http.request.method", "POST")
                    .containsEntry("http.response.status_code", 200L).containsEntry("url.scheme", "http");
            assertThat(server.error()).isFalse();
            Span failed = recorder.spans.get(1);
            assertThat(failed.context().parentSpanId()).isEmpty();
            assertThat(failed.error()).isTrue();
            assertThat(failed.attributes()).containsEntry("http.response.status_code", 500L);
            assertThat(recorder.spans.get(2).attributes()).containsEntry("http.route", "unmatched");
        }
    }
}
