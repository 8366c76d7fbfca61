package dev.argus.app.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The benchmark's progress on stderr: a bar redrawn in place on a terminal, else a line every ten seconds. */
final class BenchProgress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private String lastLabel = "";

    BenchProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    synchronized void update(double fraction, String now) {
        long t = System.nanoTime();
        boolean changed = !now.equals(lastLabel);
        if (t - lastDraw < (terminal ? 150_000_000L : 10_000_000_000L) && !(changed && !terminal && now.endsWith("starting"))) {
            return;
        }
        lastDraw = t;
        lastLabel = now;
        double f = Math.max(0, Math.min(1, fraction));
        double elapsed = (t - start) / 1e9;
        String eta = f > 0.02 ? String.format(Locale.ROOT, ", ETA %ds", (long) (elapsed / f - elapsed)) : "";
        int filled = (int) (WIDTH * f);
        String line = String.format(Locale.ROOT, "[%s%s] %3.0f%% %s (%ds%s)", "#".repeat(filled), " ".repeat(WIDTH - filled),
                f * 100, now, (long) elapsed, eta);
        if (terminal) {
            err.print("\r" + line + "\033[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    synchronized void finish() {
        if (terminal) {
            err.println();
        }
    }
}
