package dev.argus.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.argus.ports.out.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Spans as an OTLP {@code ExportTraceServiceRequest} in the OTLP/HTTP JSON encoding: lowerCamelCase names, trace and
 * span ids as hex strings, 64-bit integers (times, integer attributes) as decimal strings, enums (kind, status code) as
 * numbers; one resource ({@code service.name}) and one instrumentation scope.
 */
final class OtlpJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    static final String SCOPE = "dev.argus";

    private OtlpJson() {
    }

    static byte[] encode(List<Span> spans, String serviceName, String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 512 * spans.size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("resourceSpans");
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
            g.writeArrayFieldStart("attributes");
            attribute(g, "service.name", serviceName);
            attribute(g, "service.version", version);
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("scopeSpans");
            g.writeStartObject();
            g.writeObjectFieldStart("scope");
            g.writeStringField("name", SCOPE);
            g.writeStringField("version", version);
            g.writeEndObject();
            g.writeArrayFieldStart("spans");
            for (Span s : spans) {
                span(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.toByteArray();
    }

    private static void span(JsonGenerator g, Span s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", s.context().traceId());
        g.writeStringField("spanId", s.context().spanId());
        if (!s.context().parentSpanId().isEmpty()) {
            g.writeStringField("parentSpanId", s.context().parentSpanId());
        }
        if (!s.context().traceState().isEmpty()) {
            g.writeStringField("traceState", s.context().traceState());
        }
        g.writeStringField("name", s.name());
        g.writeNumberField("kind", kind(s.kind()));
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(Math.max(s.startEpochNanos(), s.endEpochNanos())));
        g.writeArrayFieldStart("attributes");
        for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
            attribute(g, a.getKey(), a.getValue());
        }
        g.writeEndArray();
        g.writeObjectFieldStart("status");
        if (s.error()) {
            g.writeNumberField("code", 2); // STATUS_CODE_ERROR
            g.writeStringField("message", s.message());
        } else {
            g.writeNumberField("code", 0); // STATUS_CODE_UNSET: instrumentation leaves success unset
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** SPAN_KIND_INTERNAL = 1, SERVER = 2, CLIENT = 3. */
    private static int kind(Span.Kind kind) {
        return switch (kind) {
            case INTERNAL -> 1;
            case SERVER -> 2;
            case CLIENT -> 3;
        };
    }

    private static void attribute(JsonGenerator g, String key, Object value) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        g.writeObjectFieldStart("value");
        if (value instanceof Long || value instanceof Integer) {
            g.writeStringField("intValue", value.toString());
        } else if (value instanceof Double d && Double.isFinite(d)) {
            g.writeNumberField("doubleValue", d);
        } else if (value instanceof Boolean b) {
            g.writeBooleanField("boolValue", b);
        } else {
            g.writeStringField("stringValue", String.valueOf(value));
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
