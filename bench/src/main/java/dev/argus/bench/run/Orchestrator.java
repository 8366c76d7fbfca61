package dev.argus.bench.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the plan: every repetition runs every backend once, each in a fresh worker JVM with the same settings, in
 * alternation (the order rotates every repetition: A B C, B C A, ...), so that machine noise and drift hit all of
 * them alike. Measures cold start from the worker's launch to its first answer. A backend that is unavailable in the
 * first repetition is not tried again.
 */
public final class Orchestrator {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int STDERR_TAIL = 15;

    /**
     * Starts a worker JVM that runs {@code backend}'s repetition, with its {@link BackendSpec#env() environment}, and
     * writes its {@link WorkerResult} to {@code result}.
     */
    @FunctionalInterface
    public interface Launcher {
        Process launch(BackendSpec backend, int repetition, Path result) throws IOException;
    }

    /** Progress for a bar: overall fraction done, and what runs now. */
    @FunctionalInterface
    public interface Listener {
        void progress(double fraction, String now);
    }

    /** One worker's result, with the cold start the orchestrator saw (-1 when it never answered). */
    public record Run(WorkerResult result, long coldStartMillis) {
    }

    private final Launcher launcher;
    private final Listener listener;

    public Orchestrator(Launcher launcher, Listener listener) {
        this.launcher = launcher;
        this.listener = listener;
    }

    public List<Run> run(BenchPlan plan, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        List<Run> runs = new ArrayList<>();
        Set<String> unavailable = new HashSet<>();
        List<BackendSpec> backends = plan.backends();
        int total = backends.size() * plan.repetitions();
        int done = 0;
        for (int rep = 1; rep <= plan.repetitions(); rep++) {
            for (int i = 0; i < backends.size(); i++) {
                BackendSpec spec = backends.get((i + rep - 1) % backends.size());
                if (unavailable.contains(spec.id())) {
                    done++;
                    listener.progress((double) done / total, spec.id() + " skipped (unavailable)");
                    continue;
                }
                Run run = runOne(spec, rep, workDir, done, total, plan.repetitions());
                if (!run.result().status().equals(WorkerResult.OK) && rep == 1) {
                    unavailable.add(spec.id());
                }
                runs.add(run);
                done++;
                listener.progress((double) done / total, spec.id() + " done");
            }
        }
        return runs;
    }

    private Run runOne(BackendSpec spec, int rep, Path workDir, int done, int total, int reps) throws IOException {
        Path result = workDir.resolve(spec.id().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + rep + ".json");
        Files.deleteIfExists(result);
        String label = spec.id() + " (repetition " + rep + "/" + reps + ")";
        listener.progress((double) done / total, label + ": starting");
        long launched = System.nanoTime();
        Process p = launcher.launch(spec, rep, result);
        Thread killer = new Thread(p::destroyForcibly, "argus-bench-worker-kill");
        Runtime.getRuntime().addShutdownHook(killer);
        long[] firstAnswer = {-1};
        Deque<String> tail = new ArrayDeque<>();
        List<String> head = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                if (line.startsWith(Worker.EVENT + "first-answer")) {
                    firstAnswer[0] = (System.nanoTime() - launched) / 1_000_000;
                } else if (line.startsWith(Worker.EVENT + "progress ")) {
                    String[] f = line.substring((Worker.EVENT + "progress ").length()).trim().split(" ");
                    double frac = Math.min(1.0, Double.parseDouble(f[0]) / Math.max(1.0, Double.parseDouble(f[1])));
                    listener.progress((done + frac) / total, label);
                } else {
                    if (head.size() < 2) {
                        head.add(line);
                    }
                    tail.addLast(line);
                    if (tail.size() > STDERR_TAIL) {
                        tail.removeFirst();
                    }
                }
            }
        }
        int exit;
        try {
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while waiting for the " + spec.id() + " worker", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook kills the worker
            }
        }
        if (Files.isRegularFile(result)) {
            return new Run(JSON.readValue(result.toFile(), WorkerResult.class), firstAnswer[0]);
        }
        String why = "worker exited with code " + exit + " without a result" + (tail.isEmpty() ? "" : ": " + message(head, tail));
        return new Run(WorkerResult.notRun(spec.id(), rep, WorkerResult.FAILED, why), -1);
    }

    /** The worker's own error line ("argus: ...") if it printed one, else its first and last lines. */
    private static String message(List<String> head, Deque<String> tail) {
        List<String> lines = new ArrayList<>(tail);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("argus: ")) {
                return lines.get(i).substring("argus: ".length());
            }
        }
        List<String> shown = new ArrayList<>(head);
        lines.stream().skip(Math.max(0, lines.size() - 3)).filter(l -> !shown.contains(l)).forEach(shown::add);
        return String.join(" | ", shown).replaceAll("\\s+", " ");
    }

    /** Writes a worker's result where the orchestrator expects it. */
    public static void write(WorkerResult result, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), result);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
