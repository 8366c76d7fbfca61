package dev.argus.app.cli;

import dev.argus.app.config.LogFormat;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One-line log messages on stderr, text or JSON ({@code argus.log.format}); Argus at INFO (WARNING with --quiet),
 * libraries at WARNING. A JUL configuration file ({@code -Djava.util.logging.config.file}) wins over all of it.
 */
final class Logging {
    /**
     * Held for the life of the process: the LogManager keeps loggers only weakly, and a collected "dev.argus" logger
     * takes its level with it, so that Argus's INFO lines (among them "Argus is serving") stop printing. Seen with a
     * 256 MiB heap: a server that served but never said so.
     */
    private static final Logger ARGUS = Logger.getLogger("dev.argus");

    private Logging() {
    }

    /**
     * Installs the handler; JSON at once when {@code ARGUS_LOG_FORMAT=json} (so that reading the configuration logs
     * as JSON too), else text until {@link #use} applies the configured format.
     */
    static void configure(String[] args, Map<String, String> env) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        boolean quiet = Arrays.stream(args).anyMatch(a -> a.equals("-q") || a.equals("--quiet"));
        Logger root = Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter("json".equalsIgnoreCase(env.getOrDefault("ARGUS_LOG_FORMAT", "").strip())
                ? new JsonLogFormatter() : new TextLogFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        ARGUS.setLevel(quiet ? Level.WARNING : Level.INFO);
    }

    /** Writes what is logged from now on in {@code format} (unless a JUL configuration file is in charge). */
    static void use(LogFormat format) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        for (java.util.logging.Handler h : Logger.getLogger("").getHandlers()) {
            if (h instanceof ConsoleHandler && (format == LogFormat.JSON) != (h.getFormatter() instanceof JsonLogFormatter)) {
                h.setFormatter(format == LogFormat.JSON ? new JsonLogFormatter() : new TextLogFormatter());
            }
        }
    }
}
