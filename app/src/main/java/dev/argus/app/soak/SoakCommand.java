package dev.argus.app.soak;

import dev.argus.bench.run.Corpus;
import dev.argus.domain.ArgusException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argus soak}: runs {@code argus serve} for a long time at a share of its saturation with mixed traffic while
 * injecting faults, and reports whether it stayed healthy: every request answered (0 unanswered) before its deadline,
 * no outcome a request's kind does not allow, ready throughout, and memory, threads and open files flat.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Soak test: run argus serve for --duration at --load of its saturation with mixed traffic (photos of "
                + "every size, bad files, numbers-array JSON, gRPC unary, batch and stream calls, slow clients, clients that "
                + "hang up or cancel) while injecting faults (engine failures, a remote backend that times out, the model "
                + "file replaced under a poll reload, a download into a full disk). Reports outcomes, p99 over time and "
                + "the server's RSS, threads and open files; exits 1 when a check fails.",
                "Writes soak.md, samples.csv and windows.csv into --out, and the server's log as server.log."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model to serve (copied into the soak's repository).")
    Path model;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "How long the soak runs (default 1800).")
    long durationSeconds = 1800;

    @Option(names = "--load", paramLabel = "SHARE", description = "Load as a share of the measured saturation (default 0.8).")
    double load = 0.8;

    @Option(names = "--rate", paramLabel = "R", description = "Requests a second instead of --load (skips measuring saturation).")
    double rate;

    @Option(names = "--images", paramLabel = "DIR", description = "Good photos (default: 12 generated photo-like images of every size).")
    Path images;

    @Option(names = "--out", paramLabel = "DIR", description = "Work folder: repository, data dir, log and report (default ./argus-soak).")
    Path out = Path.of("argus-soak");

    @Option(names = "--launcher", paramLabel = "FILE", description = "The argus launcher to run the server with (default: this distribution's bin/argus).")
    Path launcher;

    @Option(names = "--java-opts", paramLabel = "OPTS", description = "ARGUS_JAVA_OPTS for the server (default none: the launcher sizes the heap).")
    String javaOpts = "";

    @Option(names = "--engine-failure-rate", paramLabel = "SHARE", description = "Share of engine calls failed on purpose (default 0.02).")
    double engineFailureRate = 0.02;

    @Option(names = "--remote-hang-share", paramLabel = "SHARE", description = "Share of calls the remote backend's stand-in never answers (default 0.25).")
    double remoteHangShare = 0.25;

    @Option(names = "--replace-every", paramLabel = "SECONDS", description = "Replace the model file under the poll reload this often (default 300; 0 = never).")
    long replaceEvery = 300;

    @Option(names = "--download-every", paramLabel = "SECONDS", description = "Add a model to download this often, every other one into a full disk (default 240; 0 = never).")
    long downloadEvery = 240;

    @Option(names = "--small-volume", paramLabel = "auto|none|DIR", description = "The data dir for the disk-full fault: auto mounts a small tmpfs (needs root), "
            + "DIR is a small file system you made, none skips that fault (default auto).")
    String smallVolume = "auto";

    @Option(names = "--deadline-ms", paramLabel = "MS", description = "The server's request deadline (argus.rest.request-timeout-ms) and the gRPC deadline (default 10000).")
    long deadlineMillis = 10_000;

    @Option(names = "--sample-every", paramLabel = "SECONDS", description = "How often RSS, threads, open files and readiness are read (default 5).")
    long sampleEvery = 5;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Width of a latency window for p50/p99 over time (default 60).")
    long windowSeconds = 60;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "Any further setting for the server.")
    List<String> extra = new ArrayList<>();

    private final PrintStream stdout;
    private final PrintStream err;

    public SoakCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.stdout = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        check();
        Path work = Files.createDirectories(out.toAbsolutePath());
        Path repo = work.resolve("repository");
        deleteTree(repo);
        Files.createDirectories(repo.resolve("resnet-50/1"));
        Path served = repo.resolve("resnet-50/1/model.onnx");
        Files.copy(model, served, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(repo.resolve("resnet-50/model.properties"), "required=true\n");
        List<byte[]> photos = photos();
        SmallVolume volume = SmallVolume.prepare(smallVolume, work.resolve("data"), Files.size(model), err);
        // Ctrl-C runs no finally: the hook still takes the tmpfs away
        Thread unmount = new Thread(volume::close, "soak-unmount");
        Runtime.getRuntime().addShutdownHook(unmount);
        Report report = new Report(durationSeconds, sampleEvery, windowSeconds);
        report.volume = volume.description();
        try (Stubs.Cloudflare cloudflare = new Stubs.Cloudflare(remoteHangShare, 60_000);
             Stubs.Hub hub = new Stubs.Hub(Files.readAllBytes(model), volume::fill)) {
            deleteTree(volume.dir().resolve("models")); // what an earlier soak downloaded would be found in the cache
            copyTuning(volume.dir());
            Files.createDirectories(repo.resolve("remote"));
            Files.writeString(repo.resolve("remote/model.properties"), String.join("\n", "required=false",
                    "argus.backend=cloudflare", "argus.model=remote", "argus.cloudflare.base-url=" + cloudflare.baseUrl(),
                    "argus.cloudflare.account-id=soak", "argus.cloudflare.api-token=soak-token",
                    "argus.cloudflare.attempt-timeout-ms=1000", "argus.cloudflare.max-attempts=2",
                    "argus.cloudflare.deadline-ms=2500", "argus.cloudflare.breaker-failures=5",
                    "argus.cloudflare.breaker-open-ms=2000", ""));
            List<String> settings = new ArrayList<>(List.of("argus.repository=" + repo, "argus.repository.control=poll",
                    "argus.repository.poll-interval-ms=1000", "argus.rest.port=0", "argus.grpc.port=0",
                    "argus.rest.request-timeout-ms=" + deadlineMillis, "argus.faults.engine-failure-rate=" + engineFailureRate,
                    "argus.hub.endpoint=" + hub.endpoint(), "argus.data-dir=" + volume.dir()));
            settings.addAll(extra);
            err.println("argus soak: starting argus serve (" + launcher() + ") on " + repo);
            try (SoakServer server = SoakServer.start(launcher(), settings, javaOpts, work.resolve("server.log"), err)) {
                ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort).usePlaintext()
                        .maxInboundMessageSize(16 << 20).build();
                try {
                    List<String> internals = List.of(cloudflare.baseUrl().substring("http://".length()),
                            hub.endpoint().substring("http://".length()), repo.toString(), volume.dir().toString(),
                            "Injected engine failure", "\tat ", "dev.argus.", "java.lang.", "java.io.", "ai.onnxruntime");
                    Traffic traffic = new Traffic(server.restBase(), server.restPort, channel, photos, deadlineMillis,
                            engineFailureRate > 0, internals);
                    cloudflare.armed = true; // the remote model has been warmed up: from now on its backend hangs now and then
                    double arrivals = rate > 0 ? rate : arrivalRate(traffic, report);
                    report.arrivalRate = arrivals;
                    err.printf(Locale.ROOT, "argus soak: %.1f requests/s for %d s (%.1f engine images/s)%n", arrivals,
                            durationSeconds, arrivals * Traffic.Kind.meanEngineImages());
                    run(server, traffic, hub, cloudflare, volume, repo, served, arrivals, report);
                } finally {
                    channel.shutdownNow();
                }
                report.injectedInLog = server.injectedFailures.get();
                report.severe = server.severeSamples();
                report.severeCount = server.severeLines.get();
                report.aliveAtEnd = server.process.isAlive();
            }
            report.remoteAnswered = cloudflare.answered.get();
            report.remoteHung = cloudflare.hung.get();
        } finally {
            volume.close();
            try {
                Runtime.getRuntime().removeShutdownHook(unmount);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        }
        boolean passed = report.write(work, stdout);
        err.println("argus soak: " + (passed ? "passed" : "FAILED") + "; report " + work.resolve("soak.md"));
        return passed ? 0 : 1;
    }

    private void check() {
        if (!Files.isRegularFile(model)) {
            throw ArgusException.configuration("--model " + model + " is not a file.");
        }
        if (durationSeconds < 10 || !(load > 0 && load <= 1.5) || rate < 0 || !(engineFailureRate >= 0 && engineFailureRate <= 0.5)
                || !(remoteHangShare >= 0 && remoteHangShare <= 1) || deadlineMillis < 1000 || sampleEvery < 1 || windowSeconds < 1
                || replaceEvery < 0 || downloadEvery < 0) {
            throw ArgusException.configuration("Out of range: --duration >= 10, 0 < --load <= 1.5, --rate >= 0, "
                    + "0 <= --engine-failure-rate <= 0.5, 0 <= --remote-hang-share <= 1, --deadline-ms >= 1000, "
                    + "--sample-every and --window >= 1, --replace-every and --download-every >= 0.");
        }
    }

    private Path launcher() {
        if (launcher != null) {
            return launcher;
        }
        // this class is in <dist>/lib/app-*.jar; the launcher is <dist>/bin/argus
        try {
            Path jar = Path.of(SoakCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent().resolveSibling("bin").resolve("argus");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through
        }
        throw ArgusException.configuration("Cannot find the distribution's bin/argus next to this jar: give --launcher.");
    }

    private List<byte[]> photos() {
        Corpus c = images != null ? Corpus.load(images, 200) : Corpus.generated(12);
        List<byte[]> out = new ArrayList<>();
        c.images().forEach(i -> out.add(i.bytes()));
        if (out.isEmpty()) {
            throw ArgusException.configuration("No images in " + images + ".");
        }
        return out;
    }

    /** The tuned sizing of the user's data dir, so that the server under soak runs as it would for the user. */
    private void copyTuning(Path dataDir) throws IOException {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg, "argus") : Path.of(System.getProperty("user.home"), ".local/share/argus");
        Path tuning = home.resolve("tuning");
        if (Files.isDirectory(tuning) && !tuning.toAbsolutePath().startsWith(dataDir.toAbsolutePath())) {
            Files.createDirectories(dataDir.resolve("tuning"));
            try (var files = Files.list(tuning)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dataDir.resolve("tuning").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Saturation first: 8 callers of good photos for 20 s after 10 s of warm-up; the soak's rate is --load of it. */
    private double arrivalRate(Traffic traffic, Report report) throws InterruptedException {
        err.println("argus soak: measuring saturation (8 callers of good photos, 10 s warm-up, 20 s measured) ...");
        closedLoop(traffic, 8, 10, null);
        AtomicLong ok = new AtomicLong();
        double seconds = closedLoop(traffic, 8, 20, ok);
        report.saturation = ok.get() / seconds;
        err.printf(Locale.ROOT, "argus soak: saturation %.1f images/s%n", report.saturation);
        if (report.saturation <= 0) {
            throw ArgusException.modelUnavailable("The server answered no good photo while measuring saturation: see server.log.", null);
        }
        return load * report.saturation / Traffic.Kind.meanEngineImages();
    }

    private static double closedLoop(Traffic traffic, int callers, long seconds, AtomicLong ok) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(callers, Stubs.daemon("soak-probe"));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < callers; i++) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    Ledger.Result r = traffic.send(Traffic.Kind.REST_PHOTO);
                    if (ok != null && r.outcome().equals("200")) {
                        ok.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    private void run(SoakServer server, Traffic traffic, Stubs.Hub hub, Stubs.Cloudflare cloudflare, SmallVolume volume,
                     Path repo, Path served, double arrivals, Report report) throws InterruptedException {
        Ledger ledger = new Ledger(windowSeconds * 1000, deadlineMillis + 1500);
        report.ledger = ledger;
        ThreadPoolExecutor callers = new ThreadPoolExecutor(0, 1024, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Stubs.daemon("soak-client"));
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(3, Stubs.daemon("soak-timer"));
        long start = ledger.startedNanos();
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        AtomicInteger inFlight = new AtomicInteger();
        // a scheduled task that throws is never run again: each one catches everything
        timers.scheduleAtFixedRate(guarded(() -> report.sample(start, server, inFlight.get())), 0, sampleEvery, TimeUnit.SECONDS);
        long every = Math.max(10, Math.min(60, durationSeconds / 10));
        timers.scheduleAtFixedRate(guarded(() -> progress(ledger, report, start)), every, every, TimeUnit.SECONDS);
        if (replaceEvery > 0) {
            timers.scheduleWithFixedDelay(guarded(() -> replaceModel(served, report, start)), replaceEvery, replaceEvery, TimeUnit.SECONDS);
        }
        if (downloadEvery > 0) {
            AtomicInteger n = new AtomicInteger();
            timers.scheduleWithFixedDelay(guarded(() -> download(server, hub, volume, repo, n.incrementAndGet(), report, start)),
                    downloadEvery / 2, downloadEvery, TimeUnit.SECONDS);
        }
        long next = System.nanoTime();
        while (true) {
            next += (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) / arrivals * 1e9);
            long wait = next - System.nanoTime();
            if (next >= end) {
                break;
            }
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Traffic.Kind kind = Traffic.Kind.pick(ThreadLocalRandom.current().nextDouble());
            long sentAt = System.nanoTime();
            ledger.sent.incrementAndGet();
            try {
                callers.execute(() -> {
                    inFlight.incrementAndGet();
                    Ledger.Result r;
                    try {
                        r = traffic.send(kind);
                    } catch (Throwable t) {
                        r = Ledger.Result.answer("client error", false, String.valueOf(t));
                    }
                    try {
                        ledger.record(kind.label, kind.timed(), sentAt, r);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                ledger.driverBusy.incrementAndGet();
                ledger.sent.decrementAndGet();
            }
        }
        err.println("argus soak: load ended; waiting for the last answers ...");
        callers.shutdown();
        if (!callers.awaitTermination(deadlineMillis + 30_000, TimeUnit.MILLISECONDS)) {
            err.println("argus soak: " + inFlight.get() + " request(s) still waiting for an answer long after their deadline");
        }
        ledger.unrecorded(inFlight.get());
        timers.shutdownNow();
        timers.awaitTermination(30, TimeUnit.SECONDS);
        report.sample(start, server, inFlight.get());
        report.indexAtEnd = server.get("/v2/repository/index");
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                err.println("argus soak: a scheduled task failed: " + t);
            }
        };
    }

    /** A line on stderr: how far, what was sent and answered so far, and the server's last sample. */
    private void progress(Ledger ledger, Report report, long start) {
        long elapsed = (System.nanoTime() - start) / 1_000_000_000;
        Report.Sample last = report.samples.isEmpty() ? null : report.samples.get(report.samples.size() - 1);
        err.printf(Locale.ROOT, "argus soak: %d:%02d of %d:%02d; sent %d, answered %d, cancelled on purpose %d, unanswered %d, "
                        + "unexpected %d, late %d%s%n", elapsed / 60, elapsed % 60, durationSeconds / 60, durationSeconds % 60,
                ledger.sent.get(), ledger.answered.get(), ledger.cancelled.get(), ledger.unanswered.get(), ledger.unexpected.get(),
                ledger.late.get(), last == null ? "" : String.format(Locale.ROOT, "; server RSS %d MiB, %d threads, %d open files, ready %s",
                        last.rssBytes() >> 20, last.threads(), last.fds(), last.ready() == 200 ? "yes" : "NO (" + last.ready() + ")"));
    }

    /** Rewrites the served model file in place, in pieces, as {@code cp} over it would: a poll may see it half written. */
    private void replaceModel(Path served, Report report, long start) {
        long t0 = System.nanoTime();
        try (OutputStream o = Files.newOutputStream(served, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             var in = Files.newInputStream(model)) {
            byte[] buf = new byte[4 << 20];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                o.write(buf, 0, n);
                o.flush();
                Thread.sleep(60);
            }
            report.event(start, String.format(Locale.ROOT, "model file rewritten in place over %.1f s (the poll reloads it)",
                    (System.nanoTime() - t0) / 1e9));
        } catch (IOException e) {
            report.event(start, "replacing the model file failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds a model whose file comes from the Hub stand-in and waits for the poll to load it or to give up; every other
     * time the disk fills up half way through the download. Then takes the model away again.
     */
    private void download(SoakServer server, Stubs.Hub hub, SmallVolume volume, Path repo, int n, Report report, long start) {
        boolean full = volume.usable() && n % 2 == 1;
        String name = "download-" + n;
        Path folder = repo.resolve(name);
        Path staged = repo.resolveSibling("staged-" + name);
        try {
            hub.failNextDownload = full;
            // made beside the repository and moved in whole, so that no poll sees a folder without its properties
            Files.createDirectories(staged);
            Files.writeString(staged.resolve("model.properties"), "required=false\nargus.model=hf://soak/" + name + "/model.onnx\n");
            Files.move(staged, folder, StandardCopyOption.ATOMIC_MOVE);
            String state = awaitLoad(server, name, 120);
            report.downloads.add(new Report.Download(n, full, state));
            report.event(start, (full ? "download into a full disk: " : "download: ") + state);
        } catch (IOException e) {
            report.event(start, "download fault could not be set up: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.failNextDownload = false;
            volume.unfill();
            deleteTree(staged);
            deleteTree(folder);
            // the cached download goes too, or the small volume fills up with them
            deleteTree(volume.dir().resolve("models/soak/" + name));
            deleteTree(volume.dir().resolve("models/.argus/soak/" + name));
        }
    }

    /** READY, or UNAVAILABLE with its reason, as the repository index says, or "still LOADING" after {@code seconds}. */
    private static String awaitLoad(SoakServer server, String name, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.regex.Pattern entry = java.util.regex.Pattern.compile("\\{[^{}]*\"name\"\\s*:\\s*\"" + name + "\"[^{}]*\\}");
        while (System.nanoTime() < end) {
            java.util.regex.Matcher m = entry.matcher(server.get("/v2/repository/index"));
            if (m.find()) {
                String e = m.group();
                if (e.contains("\"READY\"")) {
                    return "READY";
                }
                if (e.contains("\"UNAVAILABLE\"")) {
                    java.util.regex.Matcher reason = java.util.regex.Pattern.compile("\"reason\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(e);
                    return "UNAVAILABLE: " + (reason.find() ? reason.group(1) : e);
                }
            }
            Thread.sleep(500);
        }
        return "still LOADING after " + seconds + " s";
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // left behind
                }
            });
        } catch (IOException e) {
            // left behind
        }
    }
}
