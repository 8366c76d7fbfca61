package dev.argus.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object a line ({@code argus.log.format=json}): {@code time} (ISO-8601, UTC), {@code level} (ERROR, WARN,
 * INFO, DEBUG, TRACE), {@code logger}, {@code message}, {@code thread}, and when there is one {@code exception} (its
 * stack trace) and {@code trace_id} (a message naming {@code trace_id=<32 hex digits>}, as the access log does).
 * Handlers format on the thread that logs, so {@code thread} is that thread's name.
 */
final class JsonLogFormatter extends Formatter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String TRACE_ID = "trace_id=";

    @Override
    public String format(LogRecord r) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", r.getInstant().toString());
            g.writeStringField("level", level(r.getLevel()));
            g.writeStringField("logger", r.getLoggerName() == null ? "" : r.getLoggerName());
            String message = formatMessage(r);
            g.writeStringField("message", message == null ? "" : message);
            g.writeStringField("thread", Thread.currentThread().getName());
            String trace = traceId(message);
            if (trace != null) {
                g.writeStringField("trace_id", trace);
            }
            if (r.getThrown() != null) {
                StringWriter stack = new StringWriter();
                try (PrintWriter p = new PrintWriter(stack)) {
                    r.getThrown().printStackTrace(p);
                }
                g.writeStringField("exception", stack.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.append(System.lineSeparator()).toString();
    }

    /** System.Logger's names for JUL's levels (ERROR is SEVERE, WARN is WARNING, ...). */
    static String level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    /** The trace id a message names ({@code trace_id=} and 32 lower-case hex digits), or null. */
    static String traceId(String message) {
        if (message == null) {
            return null;
        }
        int at = message.indexOf(TRACE_ID);
        if (at < 0 || at + TRACE_ID.length() + 32 > message.length()) {
            return null;
        }
        String id = message.substring(at + TRACE_ID.length(), at + TRACE_ID.length() + 32);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return id;
    }
}
