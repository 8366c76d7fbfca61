package dev.argus.app.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code argus serve} under soak: the distribution's launcher in its own process, serving a model repository on free
 * ports, its log copied to a file and scanned for injected faults; its RSS, threads and open files read from /proc.
 */
final class SoakServer implements AutoCloseable {
    /** A log record's first line ("12:00:00 WARNING logger: ..."), not a stack trace's. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d [A-Z]+ ");
    private static final Pattern PORTS = Pattern.compile("REST on https?://[^:]+:(\\d+)/, gRPC on [^:]+:(\\d+)");

    final Process process;
    final int restPort;
    final int grpcPort;
    final AtomicLong injectedFailures = new AtomicLong();
    final AtomicLong severeLines = new AtomicLong();
    private final List<String> severe = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SoakServer(Process process, int restPort, int grpcPort) {
        this.process = process;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts the server and waits until it serves.
     *
     * @param launcher the distribution's {@code bin/argus}
     * @param settings {@code -D} settings for {@code serve}
     * @param javaOpts {@code ARGUS_JAVA_OPTS} for the server (empty: the launcher sizes the heap)
     * @param log      where the server's output goes
     */
    static SoakServer start(Path launcher, List<String> settings, String javaOpts, Path log, PrintStream err) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", launcher.toString(), "serve"));
        for (String s : settings) {
            cmd.add("-D");
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("ARGUS_JAVA_OPTS");
        if (!javaOpts.isBlank()) {
            env.put("ARGUS_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        // readLine blocks: a server that hangs silently is ended by this watchdog, which ends the loop below too
        java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
        started.completeOnTimeout(null, 180, TimeUnit.SECONDS).thenRun(() -> {
            if (!started.isCancelled()) {
                p.destroyForcibly();
            }
        });
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            file.println(line);
            Matcher m = PORTS.matcher(line);
            if (line.contains("Argus is serving") && m.find()) {
                started.cancel(false);
                SoakServer s = new SoakServer(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
                s.drain(out, file);
                return s;
            }
        }
        p.destroyForcibly();
        file.close();
        throw new IOException("argus serve did not start within 180 s; its log: " + log);
    }

    private void drain(BufferedReader out, PrintStream file) {
        Thread t = new Thread(() -> {
            try (file) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    file.println(line);
                    if (line.contains("Injected engine failure") && LOG_LINE.matcher(line).lookingAt()) {
                        injectedFailures.incrementAndGet();
                    }
                    if (line.contains("OutOfMemoryError") || line.contains("Exception in thread")) {
                        severeLines.incrementAndGet();
                        synchronized (severe) {
                            if (severe.size() < 5) {
                                severe.add(line);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // the server ended
            }
        }, "soak-server-log");
        t.setDaemon(true);
        t.start();
    }

    List<String> severeSamples() {
        synchronized (severe) {
            return List.copyOf(severe);
        }
    }

    String restBase() {
        return "http://127.0.0.1:" + restPort;
    }

    /** The HTTP status of {@code GET path}, or -1 when there was no answer within two seconds. */
    int status(String path) {
        return status(path, Duration.ofSeconds(2));
    }

    /** {@code GET path}'s status within {@code timeout}, or -1 when there was no answer. */
    int status(String path, Duration timeout) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(restBase() + path)).timeout(timeout).GET().build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code GET path}'s body, or "" when there was no answer. */
    String get(String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(restBase() + path)).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** One look at the process: resident memory, threads and open file descriptors ({@code -1} where unknown). */
    record Resources(long rssBytes, int threads, int fds) {
    }

    Resources resources() {
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        long rss = -1;
        int threads = -1;
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        int fds = -1;
        try (var s = Files.list(proc.resolve("fd"))) {
            fds = (int) s.count();
        } catch (IOException e) {
            // not readable
        }
        return new Resources(rss, threads, fds);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
