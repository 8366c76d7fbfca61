package dev.argus.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import dev.argus.ports.service.Tracing;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A traced request's image reaches Workers AI (the stand-in) as a client span of the request's trace. */
class CloudflareTracingTest {
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

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

    @Test
    void sendsTheClientSpanAsTraceparentWithEveryAttemptAndRecordsIt() throws Exception {
        Recorder recorder = new Recorder();
        try (FakeCloudflare fake = new FakeCloudflare();
             CloudflareImageClassifier c = new CloudflareImageClassifier(fake.config(), new Tracing(recorder))) {
            TraceContext request = TraceContext.parse(TRACEPARENT, "rojo=1,congo=2").child();
            fake.then(FakeCloudflare.error(503, 3040, "busy")); // one retry: both attempts carry the same span
            c.classify(List.of("one".getBytes(), "two".getBytes()), ClassifyOptions.defaults().withTrace(request));
            assertThat(fake.requests).hasSize(3);
            assertThat(fake.requests).allSatisfy(r -> {
                TraceContext sent = TraceContext.parse(r.traceparent(), r.tracestate());
                assertThat(sent.traceId()).isEqualTo(request.traceId());
                assertThat(sent.spanId()).isNotEqualTo(request.spanId());
                assertThat(sent.sampled()).isTrue();
                assertThat(r.tracestate()).isEqualTo("rojo=1,congo=2");
            });
            assertThat(recorder.spans).hasSize(2); // one per image, its retries included
            assertThat(recorder.spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo(Span.Kind.CLIENT);
                assertThat(s.context().parentSpanId()).isEqualTo(request.spanId());
                assertThat(s.attributes()).containsEntry("http.request.method", "POST").containsEntry("server.address", "127.0.0.1");
                assertThat((String) s.attributes().get("url.full")).doesNotContain(FakeCloudflare.ACCOUNT);
            });
            assertThat(fake.requests.stream().map(r -> TraceContext.parse(r.traceparent(), null).spanId()).distinct())
                    .containsExactlyInAnyOrderElementsOf(recorder.spans.stream().map(s -> s.context().spanId()).toList());
        }
    }

    @Test
    void anUntracedRequestSendsNoTraceHeaders() throws Exception {
        try (FakeCloudflare fake = new FakeCloudflare(); CloudflareImageClassifier c = new CloudflareImageClassifier(fake.config())) {
            c.classify(List.of("one".getBytes()), ClassifyOptions.defaults());
            assertThat(fake.requests.get(0).traceparent()).isNull();
            assertThat(fake.requests.get(0).tracestate()).isNull();
        }
    }

    @Test
    void aRefusedImageOrAFailedCallIsAFailedSpan() throws Exception {
        Recorder recorder = new Recorder();
        try (FakeCloudflare fake = new FakeCloudflare();
             CloudflareImageClassifier c = new CloudflareImageClassifier(fake.config(), new Tracing(recorder))) {
            TraceContext request = TraceContext.root(true);
            fake.then(FakeCloudflare.error(400, 3003, "bad image"));
            ClassificationOutcome refused = c.classify(List.of("x".getBytes()), ClassifyOptions.defaults().withTrace(request)).get(0);
            assertThat(refused).isInstanceOf(ClassificationOutcome.Failure.class);
            fake.then(FakeCloudflare.error(401, 10000, "bad token"));
            assertThatThrownBy(() -> c.classify(List.of("x".getBytes()), ClassifyOptions.defaults().withTrace(request)))
                    .isInstanceOf(ArgusException.class);
            assertThat(recorder.spans).hasSize(2).allSatisfy(s -> {
                assertThat(s.error()).isTrue();
                assertThat(s.message()).isNotEmpty();
            });
        }
    }
}
