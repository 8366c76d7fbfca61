package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.config.LogFormat;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** argus.log.format=json: one object a line with the fields log collectors expect. */
class JsonLogFormatterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode line(LogRecord r) throws Exception {
        String out = new JsonLogFormatter().format(r);
        assertThat(out).endsWith(System.lineSeparator());
        assertThat(out.strip()).doesNotContain("\n").doesNotContain("\r");
        return JSON.readTree(out);
    }

    @Test
    void writesTimeLevelLoggerMessageAndThread() throws Exception {
        LogRecord r = new LogRecord(Level.WARNING, "Model {0}: \"{1}\" call(s)\nstill in flight");
        r.setParameters(new Object[] {"resnet", "3"});
        r.setLoggerName("dev.argus.app.serve.ModelManager");
        r.setInstant(Instant.parse("2025-03-01T12:34:56.789Z"));
        JsonNode j = line(r);
        assertThat(j.path("time").asText()).isEqualTo("2025-03-01T12:34:56.789Z");
        assertThat(j.path("level").asText()).isEqualTo("WARN");
        assertThat(j.path("logger").asText()).isEqualTo("dev.argus.app.serve.ModelManager");
        assertThat(j.path("message").asText()).isEqualTo("Model resnet: \"3\" call(s)\nstill in flight");
        assertThat(j.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(j.has("exception")).isFalse();
        assertThat(j.has("trace_id")).isFalse();
    }

    @Test
    void addsTheExceptionAndTheTraceIdOfAnAccessLine() throws Exception {
        LogRecord r = new LogRecord(Level.SEVERE, "id=abc method=POST route=/v1/classify status=500 ms=1.0 in=3 out=9 "
                + "trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
        r.setLoggerName("dev.argus.rest.access");
        r.setThrown(new IllegalStateException("boom"));
        JsonNode j = line(r);
        assertThat(j.path("level").asText()).isEqualTo("ERROR");
        assertThat(j.path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(j.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
    }

    @Test
    void levelsAndTraceIdsAreReadStrictly() {
        assertThat(JsonLogFormatter.level(Level.INFO)).isEqualTo("INFO");
        assertThat(JsonLogFormatter.level(Level.FINE)).isEqualTo("DEBUG");
        assertThat(JsonLogFormatter.level(Level.FINEST)).isEqualTo("TRACE");
        assertThat(JsonLogFormatter.traceId("trace_id=4BF92F3577B34DA6A3CE929D0E0E4736")).isNull();
        assertThat(JsonLogFormatter.traceId("trace_id=4bf92f")).isNull();
        assertThat(JsonLogFormatter.traceId(null)).isNull();
    }

    @Test
    void theConfiguredFormatSwitchesTheConsoleHandler() {
        Logger root = Logger.getLogger("");
        Handler h = new ConsoleHandler();
        h.setFormatter(new SimpleFormatter());
        root.addHandler(h);
        String file = System.getProperty("java.util.logging.config.file"); // the build's: a file configured wins
        try {
            Logging.use(LogFormat.JSON);
            assertThat(h.getFormatter()).isInstanceOf(file == null ? JsonLogFormatter.class : SimpleFormatter.class);
            System.clearProperty("java.util.logging.config.file");
            Logging.use(LogFormat.JSON);
            assertThat(h.getFormatter()).isInstanceOf(JsonLogFormatter.class);
            Logging.use(LogFormat.TEXT);
            assertThat(h.getFormatter()).isInstanceOf(TextLogFormatter.class);
        } finally {
            root.removeHandler(h);
            if (file != null) {
                System.setProperty("java.util.logging.config.file", file);
            }
        }
    }
}
