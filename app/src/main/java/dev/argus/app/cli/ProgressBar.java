package dev.argus.app.cli;

import java.io.PrintStream;

/** A one-line progress bar on a terminal, or a line every few seconds when the output is not a terminal. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String unit;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long total;

    ProgressBar(PrintStream out, String unit, long total, boolean terminal) {
        this.out = out;
        this.unit = unit;
        this.total = total;
        this.terminal = terminal;
    }

    void total(long t) {
        this.total = t;
    }

    void update(long done) {
        long now = System.nanoTime();
        boolean last = total > 0 && done >= total;
        long interval = terminal ? 100_000_000L : 5_000_000_000L;
        if (!last && now - lastDraw < interval) {
            return;
        }
        lastDraw = now;
        double secs = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / secs;
        StringBuilder sb = new StringBuilder();
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            sb.append(format(done)).append('/').append(format(total)).append(unit.equals("bytes") ? "" : " " + unit);
            if (!last && rate > 0) {
                sb.append(String.format(", ETA %ds", (long) ((total - done) / rate)));
            }
        } else {
            sb.append(format(done)).append(unit.equals("bytes") ? "" : " " + unit);
        }
        sb.append(String.format(", %s/s", format((long) rate)));
        if (terminal) {
            out.print("\r" + sb + "   ");
            if (last) {
                out.println();
            }
        } else {
            out.println(sb);
        }
        out.flush();
    }

    private String format(long v) {
        if (!unit.equals("bytes")) {
            return Long.toString(v);
        }
        return v >= 1 << 20 ? String.format("%.1f MB", v / 1048576.0) : String.format("%.0f KB", v / 1024.0);
    }
}
