package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** argus.log.format=text: SimpleFormatter's line for Argus's format, without asking where the record came from. */
class TextLogFormatterTest {
    private static final String FORMAT = "%1$tT %4$s %3$s: %5$s%6$s%n";

    /** A record that counts the questions about its source: each one would walk the logging thread's stack. */
    private static final class Counted extends LogRecord {
        final AtomicInteger asked = new AtomicInteger();

        Counted(Level level, String message) {
            super(level, message);
        }

        @Override
        public String getSourceClassName() {
            asked.incrementAndGet();
            return super.getSourceClassName();
        }

        @Override
        public String getSourceMethodName() {
            asked.incrementAndGet();
            return super.getSourceMethodName();
        }
    }

    private static SimpleFormatter simple() {
        String before = System.getProperty("java.util.logging.SimpleFormatter.format");
        System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
        try {
            return new SimpleFormatter();
        } finally {
            if (before == null) {
                System.clearProperty("java.util.logging.SimpleFormatter.format");
            } else {
                System.setProperty("java.util.logging.SimpleFormatter.format", before);
            }
        }
    }

    private static Counted record(Level level, String message, String logger, String instant) {
        Counted r = new Counted(level, message);
        r.setLoggerName(logger);
        r.setInstant(Instant.parse(instant));
        return r;
    }

    @Test
    void writesWhatSimpleFormatterWroteWithArgusFormat() {
        Counted params = record(Level.WARNING, "Model {0}: {1} call(s) still in flight", "dev.argus.app.serve.ModelManager",
                "2025-03-01T00:04:05.789Z");
        params.setParameters(new Object[] {"resnet", 3});
        Counted thrown = record(Level.SEVERE, "Engine failed", "dev.argus.onnx", "2025-03-01T23:59:59.999Z");
        thrown.setThrown(new IllegalStateException("out of memory", new RuntimeException("cause")));
        Counted access = record(Level.INFO, "id=1 method=POST route=/v1/classify status=200 ms=57.5 in=163759 out=313",
                "dev.argus.rest.access", "2025-03-01T12:00:00Z");
        Counted noLogger = record(Level.FINE, "no logger", null, "2025-03-01T12:00:00.500Z");
        TextLogFormatter text = new TextLogFormatter();
        SimpleFormatter simple = simple();
        for (Counted r : List.of(params, thrown, access, noLogger)) {
            String expected = simple.format(r);
            assertThat(r.asked.get()).as("SimpleFormatter's questions about the record's source").isPositive();
            r.asked.set(0);
            assertThat(text.format(r)).isEqualTo(expected);
            assertThat(r.asked).as("questions about the record's source").hasValue(0);
        }
        assertThat(text.format(thrown)).contains(System.lineSeparator() + "java.lang.IllegalStateException: out of memory")
                .contains("Caused by: java.lang.RuntimeException: cause");
    }

    @Test
    void theTimeIsTheRecordsSecondInTheZoneGiven() {
        TextLogFormatter f = new TextLogFormatter(ZoneId.of("Asia/Kolkata")); // +05:30
        assertThat(f.time(Instant.parse("2025-03-01T18:29:59.999Z"))).isEqualTo("23:59:59");
        assertThat(f.time(Instant.parse("2025-03-01T18:30:00Z"))).isEqualTo("00:00:00");
        assertThat(f.time(Instant.parse("2025-03-01T18:30:00.700Z"))).isEqualTo("00:00:00");
        assertThat(f.time(Instant.parse("2025-03-01T03:37:09Z"))).isEqualTo("09:07:09");
        assertThat(f.time(Instant.parse("2025-03-01T18:29:59.001Z"))).as("an earlier second again").isEqualTo("23:59:59");
    }
}
