package dev.argus.modelhub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects what this package logs (System.Logger goes to java.util.logging here), formatted, while open. */
final class LogCapture implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.argus.modelhub"); // held: JUL keeps loggers weakly
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previous = logger.getLevel();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + formatter.formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture() {
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** {@code LEVEL message}, e.g. {@code WARNING Serving the cached copy of ...}. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
