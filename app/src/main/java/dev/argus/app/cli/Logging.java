package dev.argus.app.cli;

import java.util.Arrays;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log messages on stderr; Argus at INFO (WARNING with --quiet), libraries at WARNING. */
final class Logging {
    private Logging() {
    }

    static void configure(String[] args) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        boolean quiet = Arrays.stream(args).anyMatch(a -> a.equals("-q") || a.equals("--quiet"));
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.argus").setLevel(quiet ? Level.WARNING : Level.INFO);
    }
}
