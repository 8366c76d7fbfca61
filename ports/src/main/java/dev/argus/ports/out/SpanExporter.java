package dev.argus.ports.out;

/**
 * Where finished spans go (an OpenTelemetry collector, or nowhere). {@link #export} is called on request threads: it
 * never blocks and never throws; a span that does not fit is dropped (and counted by the implementation).
 */
public interface SpanExporter {
    /** Exports nothing. */
    SpanExporter NONE = new SpanExporter() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void export(Span span) {
            // nowhere to go
        }
    };

    /** Whether spans go anywhere: when false, nobody needs to build one. */
    boolean enabled();

    /** Hands a finished span over for export, without waiting. */
    void export(Span span);
}
