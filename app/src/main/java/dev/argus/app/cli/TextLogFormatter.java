package dev.argus.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The text log line ({@code argus.log.format=text}): {@code HH:mm:ss LEVEL logger: message}, local time, then the
 * stack trace of a thrown exception on the lines after it. The same text as {@code SimpleFormatter} with the format
 * {@code "%1$tT %4$s %3$s: %5$s%6$s%n"}, which wrote it before, without two costs that SimpleFormatter pays on every
 * line whatever its format names: it asks the record for its source class, which makes the record walk the logging
 * thread's stack to find its caller (a 31 kB buffer of frames, on each access-log line of a server), and it formats
 * the time through {@code java.util.Formatter}. Here the time's text is kept for the second it names.
 */
final class TextLogFormatter extends Formatter {
    /** One second's text; replaced as a whole, so a reader never sees one second with another's text. */
    private record Second(long epochSecond, String text) {
    }

    private final ZoneId zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "");

    TextLogFormatter() {
        this(ZoneId.systemDefault());
    }

    TextLogFormatter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder(160);
        line.append(time(r.getInstant())).append(' ').append(r.getLevel().getLocalizedName()).append(' ')
                .append(r.getLoggerName()).append(": ").append(formatMessage(r));
        if (r.getThrown() != null) {
            StringWriter stack = new StringWriter();
            try (PrintWriter p = new PrintWriter(stack)) {
                p.println();
                r.getThrown().printStackTrace(p);
            }
            line.append(stack);
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** {@code HH:mm:ss} of {@code at} in this formatter's zone. */
    String time(Instant at) {
        Second s = last;
        long second = at.getEpochSecond();
        if (s.epochSecond() != second) {
            LocalTime t = LocalTime.ofInstant(at, zone);
            s = new Second(second, two(t.getHour()) + ':' + two(t.getMinute()) + ':' + two(t.getSecond()));
            last = s;
        }
        return s.text();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }
}
