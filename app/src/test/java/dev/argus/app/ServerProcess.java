package dev.argus.app;

import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code argus serve} as an attacker meets it: the distribution's launcher in its own process, with the JVM options
 * given (the attack tests use a fixed heap and {@code -XX:+ExitOnOutOfMemoryError}: any OutOfMemoryError ends it),
 * serving the probe model on free ports. {@code -Dargus.test.launcher=PATH} runs another build's launcher (to see a test fail on older code).
 */
final class ServerProcess implements AutoCloseable {
    static final String CF_PATH = "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50";
    private static final Pattern PORTS = Pattern.compile("REST on https?://[^:]+:(\\d+)/, gRPC on [^:]+:(\\d+)");

    final Process process;
    final int restPort;
    final int grpcPort;
    private final List<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(Process process, int restPort, int grpcPort, List<String> log) {
        this.process = process;
        this.restPort = restPort;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    /** Copies the child's output into {@code log} on a daemon thread, waking waiters at each line and at its end. */
    private static void drain(BufferedReader out, List<String> log, AtomicBoolean ended) {
        Thread drain = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (log) {
                        log.add(line);
                        log.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            synchronized (log) {
                ended.set(true);
                log.notifyAll();
            }
        }, "server-log");
        drain.setDaemon(true);
        drain.start();
    }

    static ServerProcess start(Path dataDir, String javaOpts, String... extra) throws IOException {
        String launcher = System.getProperty("argus.test.launcher", RepoPaths.root().resolve("app/target/argus/bin/argus").toString());
        List<String> cmd = new ArrayList<>(List.of("sh", launcher, "serve", "--model", TestModels.probeOnnx().toString(),
                "-D", "argus.rest.port=0", "-D", "argus.grpc.port=0", "-D", "argus.server.warmup-rounds=1",
                "-D", "argus.server.shutdown-grace-ms=1000"));
        for (String e : extra) {
            cmd.add("-D");
            cmd.add(e);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ARGUS_JAVA_OPTS", javaOpts);
        pb.environment().put("ARGUS_DATA_DIR", Files.createDirectories(dataDir).toString());
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> log = new ArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        drain(out, log, ended);
        // The deadline holds even when the child prints nothing: the lines arrive on the drain thread, and this one
        // waits on them with a timeout rather than blocking in readLine.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int next = 0;
        synchronized (log) {
            while (true) {
                for (; next < log.size(); next++) {
                    String line = log.get(next);
                    Matcher m = PORTS.matcher(line);
                    if (line.contains("Argus is serving") && m.find()) {
                        return new ServerProcess(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), log);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended.get()) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(log, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        p.destroyForcibly();
        String why = System.nanoTime() >= deadline ? "within 90 s" : "(its output ended)";
        synchronized (log) {
            throw new IllegalStateException("argus serve did not start " + why + ":\n" + String.join("\n", log));
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Readiness over REST: 200 when serving. */
    int ready() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/v2/health/ready")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** An ordinary classification of a probe image over the Cloudflare route: its status. */
    int classify() throws IOException, InterruptedException {
        return post(CF_PATH, "image/png", ProbeCase.all().get(0).bytes(), Duration.ofSeconds(60)).statusCode();
    }

    ManagedChannel channel() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().maxInboundMessageSize(32 << 20).build();
    }

    /** The kernel's high-water mark of the process's resident memory (VmHWM), in bytes; -1 when unknown. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
