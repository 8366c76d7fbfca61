package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ModelDescription;
import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TracingTest {
    static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** Keeps what it is given. */
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
    void offARequestWithoutAHeaderIsNotTraced() {
        assertThat(Tracing.OFF.serverSpan(null, null)).isSameAs(TraceContext.NONE);
        assertThat(Tracing.OFF.exporting()).isFalse();
    }

    @Test
    void aRequestWithAHeaderContinuesItsTraceEvenWhenNotExporting() {
        TraceContext server = Tracing.OFF.serverSpan(CALLER, "a=b");
        assertThat(server.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(server.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(server.traceState()).isEqualTo("a=b");
        assertThat(Tracing.OFF.recording(server)).isFalse();
    }

    @Test
    void anInvalidHeaderStartsANewTrace() {
        TraceContext server = Tracing.OFF.serverSpan("00-nonsense", null);
        assertThat(server.isPresent()).isTrue();
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.sampled()).isFalse();
        TraceContext exported = new Tracing(new Recorder()).serverSpan("garbage", null);
        assertThat(exported.sampled()).isTrue();
    }

    @Test
    void exportingEveryRequestIsTracedAndOnlySampledSpansAreRecorded() {
        Recorder recorder = new Recorder();
        Tracing tracing = new Tracing(recorder);
        TraceContext root = tracing.serverSpan(null, null);
        assertThat(root.isPresent()).isTrue();
        assertThat(root.sampled()).isTrue();
        long t0 = System.nanoTime();
        tracing.record(root, "GET /", Span.Kind.SERVER, t0, t0 + 1_000, Map.of("k", "v"), false, null);
        TraceContext unsampled = tracing.serverSpan(CALLER.replace("-01", "-00"), null);
        tracing.record(unsampled, "GET /", Span.Kind.SERVER, t0, t0 + 1_000, Map.of(), false, null);
        tracing.record(TraceContext.NONE, "GET /", Span.Kind.SERVER, t0, t0 + 1_000, Map.of(), false, null);
        assertThat(recorder.spans).hasSize(1);
        Span s = recorder.spans.get(0);
        assertThat(s.context()).isSameAs(root);
        assertThat(s.endEpochNanos() - s.startEpochNanos()).isEqualTo(1_000);
        assertThat(s.startEpochNanos() / 1_000_000).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
        assertThat(s.message()).isEmpty();
    }

    @Test
    void theLocalPipelineRecordsDecodeQueueAndInferenceAsChildrenOfTheRequestsSpan() {
        Recorder recorder = new Recorder();
        Tracing tracing = new Tracing(recorder);
        try (LocalImageClassifier c = new LocalImageClassifier("fake", ModelDescription.resnet50("test-model"),
                new LocalImageClassifierTest.FakePreprocessor(), new LocalImageClassifierTest.FakeEngine(), 4, 1, 1000, 0, 2,
                null, tracing)) {
            TraceContext server = tracing.serverSpan(CALLER, null);
            c.classify(List.of(new byte[] {3, 1}, new byte[] {4, 1}), ClassifyOptions.defaults().withTrace(server));
            assertThat(recorder.spans).hasSize(6);
            assertThat(recorder.spans).extracting(Span::name).containsOnly("decode", "queue", "inference");
            assertThat(recorder.spans).allSatisfy(s -> {
                assertThat(s.context().traceId()).isEqualTo(server.traceId());
                assertThat(s.context().parentSpanId()).isEqualTo(server.spanId());
                assertThat(s.kind()).isEqualTo(Span.Kind.INTERNAL);
                assertThat(s.endEpochNanos()).isGreaterThanOrEqualTo(s.startEpochNanos());
            });
            assertThat(recorder.spans).extracting(s -> s.context().spanId()).doesNotHaveDuplicates();
            Span inference = recorder.spans.stream().filter(s -> s.name().equals("inference")).findFirst().orElseThrow();
            assertThat(inference.attributes()).containsEntry("argus.backend", "fake").containsKey("argus.batch.size");
            recorder.spans.clear();
            c.classify(List.of(new byte[] {3, 1}), ClassifyOptions.defaults()); // not traced: nothing recorded
            assertThat(recorder.spans).isEmpty();
        }
    }
}
