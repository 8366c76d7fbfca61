package dev.argus.app.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to every request of a soak: counts by kind and outcome, whether each outcome was one the kind allows,
 * the requests never answered or answered after their deadline, and latencies by time window (p50/p99 over time).
 */
final class Ledger {
    /** How one request ended. {@code answered} is false when the server never answered (or the client hung up on purpose). */
    record Result(String outcome, boolean expected, boolean answered, boolean cancelledByClient, String detail) {
        static Result answer(String outcome, boolean expected, String detail) {
            return new Result(outcome, expected, true, false, detail);
        }

        static Result cancelled() {
            return new Result("cancelled by the client", true, false, true, "");
        }

        static Result noAnswer(String detail) {
            return new Result("no answer", false, false, false, detail);
        }
    }

    private static final int SAMPLES = 3;
    private final long windowNanos;
    private final long deadlineNanos;
    private final long started = System.nanoTime();
    private final Map<String, Map<String, AtomicLong>> counts = new ConcurrentHashMap<>();
    private final Map<String, List<String>> unexpectedSamples = new ConcurrentHashMap<>();
    private final Map<Integer, Window> windows = new ConcurrentHashMap<>();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    final AtomicLong driverBusy = new AtomicLong();

    /**
     * @param windowMillis width of a latency window
     * @param deadlineMillis the longest an accepted request may take to be answered (the server's deadline and a grace)
     */
    Ledger(long windowMillis, long deadlineMillis) {
        this.windowNanos = windowMillis * 1_000_000;
        this.deadlineNanos = deadlineMillis * 1_000_000;
    }

    long startedNanos() {
        return started;
    }

    /**
     * @param timed whether the request's latency is the server's own (not a remote backend's, nor a client that sends
     *              slowly on purpose): only those go into the latency windows
     */
    void record(String kind, boolean timed, long startNanos, Result r) {
        long latency = System.nanoTime() - startNanos;
        counts.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(r.outcome(), o -> new AtomicLong())
                .incrementAndGet();
        if (r.answered()) {
            answered.incrementAndGet();
            if (latency > deadlineNanos) {
                late.incrementAndGet();
                sample(kind + " answered late", String.format("%s after %d ms", r.outcome(), latency / 1_000_000));
            }
            if (timed) {
                window(startNanos).add(latency, r.outcome().equals("200") || r.outcome().equals("grpc OK"));
            }
        } else if (r.cancelledByClient()) {
            cancelled.incrementAndGet();
        } else {
            unanswered.incrementAndGet();
            sample(kind + " " + r.outcome(), r.detail());
        }
        if (!r.expected()) {
            unexpected.incrementAndGet();
            sample(kind + " " + r.outcome(), r.detail());
        }
    }

    /** Requests the driver sent whose callers never returned (still waiting long after the deadline): never answered. */
    void unrecorded(int stillWaiting) {
        long missing = Math.max(stillWaiting, sent.get() - answered.get() - cancelled.get() - unanswered.get());
        if (missing > 0) {
            unanswered.addAndGet(missing);
            unexpected.addAndGet(missing);
            sample("still waiting at the end", missing + " request(s) never returned to their callers");
        }
    }

    private void sample(String what, String detail) {
        List<String> list = unexpectedSamples.computeIfAbsent(what, k -> new ArrayList<>());
        synchronized (list) {
            if (list.size() < SAMPLES) {
                list.add(detail);
            }
        }
    }

    private Window window(long startNanos) {
        int index = (int) Math.max(0, (startNanos - started) / windowNanos);
        return windows.computeIfAbsent(index, i -> new Window());
    }

    /** Counts by kind, then outcome, both sorted. */
    Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((k, m) -> {
            Map<String, Long> byOutcome = new TreeMap<>();
            m.forEach((o, n) -> byOutcome.put(o, n.get()));
            out.put(k, byOutcome);
        });
        return out;
    }

    /** Up to three details for each unexpected outcome, late answer or request never answered. */
    Map<String, List<String>> unexpectedSamples() {
        Map<String, List<String>> out = new TreeMap<>();
        unexpectedSamples.forEach((k, v) -> {
            synchronized (v) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }

    /** Latency by window, in order: answered requests, successes, and the successes' p50 and p99 in ms. */
    List<WindowRow> windows() {
        List<WindowRow> rows = new ArrayList<>();
        new TreeMap<>(windows).forEach((i, w) -> rows.add(w.row(i * windowNanos / 1_000_000_000.0)));
        return rows;
    }

    record WindowRow(double startSeconds, long answered, long successes, double p50Ms, double p99Ms, double maxMs) {
    }

    private static final class Window {
        private long[] ok = new long[64];
        private int n;
        private long answered;
        private long max;

        synchronized void add(long nanos, boolean success) {
            answered++;
            if (!success) {
                return;
            }
            if (n == ok.length) {
                ok = Arrays.copyOf(ok, n * 2);
            }
            ok[n++] = nanos;
            max = Math.max(max, nanos);
        }

        synchronized WindowRow row(double start) {
            long[] sorted = Arrays.copyOf(ok, n);
            Arrays.sort(sorted);
            return new WindowRow(start, answered, n, pct(sorted, 0.50), pct(sorted, 0.99), max / 1e6);
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
