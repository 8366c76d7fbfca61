package dev.argus.app.cli;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (removes every handler) from its own shutdown hook, racing ours: the messages of a
 * graceful shutdown would be lost. This one ignores reset; {@link Logging} installs its handlers itself. Selected
 * with {@code -Djava.util.logging.manager}, which {@link Main#main} sets before anything logs.
 */
public final class ShutdownSafeLogManager extends LogManager {
    @Override
    public void reset() {
        // Deliberately nothing: handlers live until the JVM exits. ConsoleHandler flushes every record.
    }
}
