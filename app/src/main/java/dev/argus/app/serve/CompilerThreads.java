package dev.argus.app.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lowers the scheduling priority of the JVM's C2 (optimising JIT) compiler threads, so that the compilations that go
 * on for minutes into a server's life run in the CPU it leaves idle instead of taking a core from the requests.
 *
 * <p>Why. HotSpot compiles a method with C2 once it has run some thousands of times, so a request path's methods keep
 * reaching C2 long after start: at 30 requests a second, {@code FutureTask.run} with the pipeline inlined into it took
 * 0.7 to 1 s of one core about 100 s in, and smaller compilations still came after 4 minutes (README, "Sizing and
 * serving under load"). At the priority of the engine's threads, such a compilation takes its share of a core from
 * them. On 2 cores at 80% of saturation that leaves less capacity than the arrivals need for that long: a queue forms
 * and a second's worth of requests wait up to 200 ms more, which is the p99 of a 40 s measurement. At nice 10 (the
 * default) a compilation competing with them gets a weight of 110 against their 1024 each, so it runs mostly in the
 * idle CPU (15-20% of it at 80% load) and the engine keeps its pace. Nice 19 gave a tighter tail still, but a fresh
 * server under full load then ran C1's code (no escape analysis: more garbage) for longer, and G1 grew the heap by
 * 150 MB of RSS. C1, the quick first-tier compiler, is left alone, so a cold server still leaves the interpreter at
 * full speed (lowering C1 too starved it under load: 20 img/s, p50 8 s).
 *
 * <p>Linux only, where each thread has a nice value of its own: runs {@code renice} (util-linux, or busybox) on each
 * thread named {@code C2 CompilerThread...}. It only ever raises a thread's nice value (which needs no privilege) and
 * never lowers one that is already higher. A C2 thread the JVM starts later is started by a C2 thread and inherits its
 * nice value.
 */
public final class CompilerThreads {
    private static final String C2_PREFIX = "C2 Compiler";

    /**
     * What {@link #lower} did.
     *
     * @param threads the C2 compiler threads' ids found
     * @param nice    the nice value asked for
     * @param problem why some or all were left as they were, or null when none was
     */
    public record Outcome(List<Long> threads, int nice, String problem) {
        /** A line for the log. */
        public String describe() {
            if (problem != null) {
                return "JIT compiler threads left at their priority: " + problem;
            }
            return "JIT: " + threads.size() + " C2 compiler thread(s) at nice " + nice
                    + " (argus.server.compiler-nice), so that late compilations use idle CPU rather than the requests'";
        }
    }

    private CompilerThreads() {
    }

    /** Raises this JVM's C2 compiler threads' nice value to {@code nice} (1..19); 0 leaves them as they are. */
    public static Outcome lower(int nice) {
        return lower(Path.of("/proc/self/task"), nice, "renice");
    }

    static Outcome lower(Path tasks, int nice, String renice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice " + nice + " is not in 0..19");
        }
        if (nice == 0) {
            return new Outcome(List.of(), 0, "argus.server.compiler-nice is 0");
        }
        if (!Files.isDirectory(tasks)) {
            return new Outcome(List.of(), nice, "no " + tasks + " (not Linux)");
        }
        List<Long> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> ls = Files.list(tasks)) {
            for (Path task : ls.toList()) {
                String name = read(task.resolve("comm"));
                if (name == null || !name.startsWith(C2_PREFIX)) {
                    continue;
                }
                long tid = Long.parseLong(task.getFileName().toString());
                found.add(tid);
                Integer now = nice(task);
                if (now != null && now >= nice) {
                    continue;
                }
                String failed = run(renice, String.valueOf(nice), "-p", String.valueOf(tid));
                Integer after = nice(task);
                if (failed != null || after == null || after < nice) {
                    problems.add("thread " + tid + ": " + (failed != null ? failed : "its nice value is still " + after));
                }
            }
        } catch (IOException e) {
            return new Outcome(List.copyOf(found), nice, "cannot list " + tasks + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            return new Outcome(List.of(), nice, "no C2 compiler thread in " + tasks + " (another JIT, or none)");
        }
        return new Outcome(List.copyOf(found), nice, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** A thread's nice value: field 19 of its stat, the 17th after the name's closing parenthesis; null if unreadable. */
    static Integer nice(Path task) {
        String stat = read(task.resolve("stat"));
        if (stat == null || stat.lastIndexOf(')') < 0) {
            return null;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        try {
            return fields.length > 16 ? Integer.valueOf(fields[16]) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null; // the thread ended meanwhile
        }
    }

    /** Runs a command; null when it exited 0, else what went wrong. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in 5 s";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return "cannot run " + command[0] + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
