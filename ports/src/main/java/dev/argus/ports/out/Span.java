package dev.argus.ports.out;

import dev.argus.domain.TraceContext;
import java.util.Map;
import java.util.Objects;

/**
 * One finished span, as it is exported: its context (trace, own id, parent id), what it was, when, and how it ended.
 *
 * @param attributes values are {@link String}, {@link Long}, {@link Double} or {@link Boolean}
 * @param error      whether it failed (a server span: answered 5xx or an internal status; a client span: the call
 *                   failed)
 * @param message    what went wrong, for a failed span; empty otherwise
 */
public record Span(TraceContext context, String name, Kind kind, long startEpochNanos, long endEpochNanos,
                   Map<String, Object> attributes, boolean error, String message) {

    /** As OpenTelemetry's span kinds. */
    public enum Kind { INTERNAL, SERVER, CLIENT }

    public Span {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        attributes = Map.copyOf(attributes);
        message = message == null ? "" : message;
    }
}
