package dev.argus.ports.service;

import dev.argus.domain.TraceContext;
import dev.argus.ports.out.Span;
import dev.argus.ports.out.SpanExporter;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the adapters share about tracing: the span a request gets when it arrives, and recording finished spans. A
 * request is traced when it arrives with a {@code traceparent} (valid: its trace goes on; invalid: a new one starts)
 * or when spans are exported (then every request is); otherwise it gets {@link TraceContext#NONE} and costs nothing.
 * Spans are recorded only for sampled traces, and only when exporting.
 */
public final class Tracing {
    /** Traces what arrives traced, exports nothing. */
    public static final Tracing OFF = new Tracing(SpanExporter.NONE);

    private final SpanExporter exporter;
    private final boolean exporting;
    /** Epoch nanoseconds minus {@link System#nanoTime()}: spans are timed on the monotonic clock. */
    private final long epochOffset;

    public Tracing(SpanExporter exporter) {
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.exporting = exporter.enabled();
        Instant now = Instant.now();
        this.epochOffset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    /** Whether spans are exported. */
    public boolean exporting() {
        return exporting;
    }

    /**
     * The server span of a request that arrived with these headers (either may be null): a child of the caller's span,
     * a new root when the header is invalid or when exporting without one, or {@link TraceContext#NONE}.
     */
    public TraceContext serverSpan(String traceparent, String tracestate) {
        if (traceparent == null && !exporting) {
            return TraceContext.NONE;
        }
        TraceContext caller = TraceContext.parse(traceparent, tracestate);
        return caller.isPresent() ? caller.child() : TraceContext.root(exporting);
    }

    /** Whether spans of {@code trace} are recorded: callers skip building them otherwise. */
    public boolean recording(TraceContext trace) {
        return exporting && trace.sampled() && trace.isPresent();
    }

    /**
     * Records the span {@code span} (its own context, as from {@link TraceContext#child()}) if {@link #recording};
     * times are {@link System#nanoTime()} readings.
     */
    public void record(TraceContext span, String name, Span.Kind kind, long startNanoTime, long endNanoTime,
                       Map<String, Object> attributes, boolean error, String message) {
        if (recording(span)) {
            exporter.export(new Span(span, name, kind, startNanoTime + epochOffset, endNanoTime + epochOffset, attributes,
                    error, message));
        }
    }
}
