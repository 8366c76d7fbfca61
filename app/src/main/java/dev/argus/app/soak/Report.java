package dev.argus.app.soak;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a soak saw, over time, and the checks it must pass; written as soak.md, samples.csv and windows.csv. */
final class Report {
    /** One look at the server: when, RSS, threads, open files, readiness status, requests in flight at the client. */
    record Sample(double seconds, long rssBytes, int threads, int fds, int ready, int inFlight) {
    }

    record Download(int n, boolean diskFull, String state) {
    }

    private final long durationSeconds;
    private final long sampleEvery;
    private final long windowSeconds;
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Download> downloads = new CopyOnWriteArrayList<>();
    Ledger ledger;
    double saturation = Double.NaN;
    double arrivalRate;
    String volume = "";
    String indexAtEnd = "";
    long injectedInLog;
    long severeCount;
    List<String> severe = List.of();
    boolean aliveAtEnd;
    long remoteAnswered;
    long remoteHung;
    /** Readiness probes that got no answer within 2 s and were asked once more. */
    int probesRetried;

    Report(long durationSeconds, long sampleEvery, long windowSeconds) {
        this.durationSeconds = durationSeconds;
        this.sampleEvery = sampleEvery;
        this.windowSeconds = windowSeconds;
    }

    void sample(long startNanos, SoakServer server, int inFlight) {
        SoakServer.Resources r = server.resources();
        int ready = server.status("/v2/health/ready");
        if (ready == -1) {
            // no answer within 2 s (a stalled host, or a pooled connection the server had just closed) is not the
            // server saying it is not ready: ask once more, as a probe with a failure threshold above 1 would
            probesRetried++;
            ready = server.status("/v2/health/ready", java.time.Duration.ofSeconds(5));
        }
        samples.add(new Sample((System.nanoTime() - startNanos) / 1e9, r.rssBytes(), r.threads(), r.fds(), ready, inFlight));
    }

    void event(long startNanos, String what) {
        events.add(String.format(Locale.ROOT, "%7.1f s  %s", (System.nanoTime() - startNanos) / 1e9, what));
    }

    /** A check and whether it passed. */
    record Check(String what, boolean passed, String detail) {
    }

    List<Check> checks() {
        List<Check> c = new ArrayList<>();
        c.add(new Check("every request answered (none left without an answer)", ledger.unanswered.get() == 0,
                ledger.unanswered.get() + " unanswered of " + ledger.sent.get()));
        c.add(new Check("every answer before its deadline (and 1.5 s of grace)", ledger.late.get() == 0, ledger.late.get() + " late"));
        c.add(new Check("every outcome one its kind allows", ledger.unexpected.get() == 0, ledger.unexpected.get() + " unexpected"));
        long notReady = samples.stream().filter(s -> s.ready() != 200).count();
        c.add(new Check("ready at every sample (GET /v2/health/ready = 200)", notReady == 0,
                notReady + " of " + samples.size() + " samples not ready" + (probesRetried == 0 ? ""
                        : "; " + probesRetried + " probe(s) had no answer within 2 s and were asked again")));
        c.add(new Check("alive at the end, no OutOfMemoryError or uncaught exception in its log", aliveAtEnd && severeCount == 0,
                (aliveAtEnd ? "alive" : "ENDED") + ", " + severeCount + " such line(s)"));
        long expected = durationSeconds / sampleEvery;
        c.add(new Check("the server sampled throughout (at least half of every " + sampleEvery + " s)",
                samples.size() >= expected / 2, samples.size() + " samples of " + expected));
        c.add(flat("RSS", Sample::rssBytes, 1.15, 96L << 20, v -> (v >> 20) + " MiB"));
        c.add(flat("threads", s -> s.threads(), 1.10, 12, String::valueOf));
        c.add(flat("open files", s -> s.fds(), 1.10, 24, String::valueOf));
        for (Download d : downloads) {
            // a clean download must load, unless an injected engine fault failed its warm-up (then it is not served)
            boolean ok = d.diskFull() ? d.state().startsWith("UNAVAILABLE") && (d.state().contains("No space left")
                    || d.state().contains("MiB free")) : d.state().equals("READY");
            c.add(new Check("download " + d.n() + (d.diskFull() ? " into a full disk fails, saying so" : " loads"), ok, d.state()));
        }
        return c;
    }

    /**
     * Flat: the median of the last quarter of the samples is at most {@code factor} times the median of the second
     * quarter plus {@code slack} (the first quarter is warm-up: caches, JIT, the heap growing to its working size).
     */
    private Check flat(String what, java.util.function.ToLongFunction<Sample> f, double factor, long slack,
                       java.util.function.LongFunction<String> fmt) {
        int n = samples.size();
        if (n < 8) {
            return new Check(what + " flat", true, "too few samples to judge (" + n + ")");
        }
        long second = median(samples.subList(n / 4, n / 2), f);
        long last = median(samples.subList(n - n / 4, n), f);
        boolean ok = last <= second * factor + slack;
        return new Check(what + " flat (last quarter's median <= " + factor + "x the second quarter's + " + fmt.apply(slack) + ")",
                ok, fmt.apply(second) + " -> " + fmt.apply(last));
    }

    private static long median(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        long[] v = s.stream().mapToLong(f).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    /** Writes the report files and prints the Markdown; returns whether every check passed. */
    boolean write(Path dir, PrintStream out) throws IOException {
        List<Check> checks = checks();
        boolean passed = checks.stream().allMatch(Check::passed);
        StringBuilder md = new StringBuilder();
        md.append("# argus soak: ").append(passed ? "passed" : "FAILED").append("\n\n");
        md.append(String.format(Locale.ROOT, "%d s at %.2f requests/s (%.1f engine images/s)%s; %s.%n%n", durationSeconds,
                arrivalRate, arrivalRate * Traffic.Kind.meanEngineImages(),
                Double.isNaN(saturation) ? "" : String.format(Locale.ROOT, ", against a measured saturation of %.1f images/s", saturation),
                volume));
        md.append("## Checks\n\n| check | result | detail |\n| --- | --- | --- |\n");
        checks.forEach(c -> md.append("| ").append(c.what()).append(" | ").append(c.passed() ? "pass" : "**FAIL**").append(" | ")
                .append(c.detail()).append(" |\n"));
        md.append(String.format(Locale.ROOT, "%nSent %d, answered %d, cancelled by the client on purpose %d, unanswered %d, "
                        + "late %d; the driver had no thread for %d arrivals.%n%n", ledger.sent.get(), ledger.answered.get(),
                ledger.cancelled.get(), ledger.unanswered.get(), ledger.late.get(), ledger.driverBusy.get()));
        md.append("## Outcomes by kind\n\n| kind | outcome | requests |\n| --- | --- | ---: |\n");
        ledger.counts().forEach((k, m) -> m.forEach((o, n) -> md.append("| ").append(k).append(" | ").append(o).append(" | ")
                .append(n).append(" |\n")));
        md.append(String.format(Locale.ROOT, "%nFaults: %d requests failed by an injected engine fault (as the server logged them); the remote "
                + "backend's stand-in answered %d calls and let %d hang.%n", injectedInLog, remoteAnswered, remoteHung));
        Map<String, List<String>> samplesOfBad = ledger.unexpectedSamples();
        if (!samplesOfBad.isEmpty()) {
            md.append("\n## Unexpected, unanswered or late (up to three of each)\n\n");
            samplesOfBad.forEach((k, v) -> v.forEach(d -> md.append("- ").append(k).append(": ").append(d.replace('\n', ' '))
                    .append('\n')));
        }
        if (!severe.isEmpty()) {
            md.append("\n## Server log lines\n\n");
            severe.forEach(l -> md.append("    ").append(l).append('\n'));
        }
        md.append("\n## Events\n\n");
        if (events.isEmpty()) {
            md.append("none\n");
        }
        events.forEach(e -> md.append("    ").append(e).append('\n'));
        md.append("\n## Latency over time (windows of ").append(windowSeconds).append(" s; successes' p50 and p99, all kinds but the "
                        + "remote model and the slow clients)\n\n")
                .append("| from s | answered | successes | p50 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        StringBuilder windows = new StringBuilder("start_s,answered,successes,p50_ms,p99_ms,max_ms\n");
        for (Ledger.WindowRow w : ledger.windows()) {
            md.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %.0f | %.0f | %.0f |%n", w.startSeconds(), w.answered(),
                    w.successes(), w.p50Ms(), w.p99Ms(), w.maxMs()));
            windows.append(String.format(Locale.ROOT, "%.0f,%d,%d,%.1f,%.1f,%.1f%n", w.startSeconds(), w.answered(), w.successes(),
                    w.p50Ms(), w.p99Ms(), w.maxMs()));
        }
        md.append("\n## Server resources over time (every ").append(sampleEvery).append(" s; condensed to at most 30 rows)\n\n")
                .append("| s | RSS MiB | threads | open files | ready | in flight |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        StringBuilder csv = new StringBuilder("seconds,rss_bytes,threads,fds,ready_status,in_flight\n");
        int step = Math.max(1, (samples.size() + 29) / 30);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d%n", s.seconds(), s.rssBytes(), s.threads(), s.fds(), s.ready(),
                    s.inFlight()));
            if (i % step == 0 || i == samples.size() - 1) {
                md.append(String.format(Locale.ROOT, "| %.0f | %d | %d | %d | %d | %d |%n", s.seconds(), s.rssBytes() >> 20, s.threads(),
                        s.fds(), s.ready(), s.inFlight()));
            }
        }
        long[] rss = samples.stream().mapToLong(Sample::rssBytes).filter(v -> v > 0).sorted().toArray();
        if (rss.length > 0) {
            md.append(String.format(Locale.ROOT, "%nRSS: min %d, median %d, max %d MiB.%n", rss[0] >> 20, rss[rss.length / 2] >> 20,
                    rss[rss.length - 1] >> 20));
        }
        if (!indexAtEnd.isEmpty()) {
            md.append("\nRepository index at the end: `").append(indexAtEnd.replace('\n', ' ')).append("`\n");
        }
        Files.writeString(dir.resolve("soak.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("samples.csv"), csv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("windows.csv"), windows, StandardCharsets.UTF_8);
        out.print(md);
        return passed;
    }
}
