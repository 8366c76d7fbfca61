package dev.argus.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestImages;
import dev.argus.testkit.TestModels;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image built by {@code container/build}, run with podman on 127.0.0.1 as it would run in production: non-root,
 * read-only root filesystem, /tmp and the data directory as volumes, the model from a mounted volume. Skipped, with
 * the reason printed, where podman or the image tar is missing (a skip is not coverage of the container).
 */
@Tag("container")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String CF = "/client/v4/accounts/any/ai/run/@cf/microsoft/resnet-50";
    private static final long GRACE_MS = 10_000;
    /** Serving, not ready, after SIGTERM: long enough for several readiness polls while 8 clients load the CPUs. */
    private static final long DELAY_MS = 3_000;
    /** A readiness poll gives up well within the delay, so that the next one still starts inside it. */
    private static final Duration READINESS_POLL_TIMEOUT = Duration.ofMillis(DELAY_MS / 4);
    /** What a readiness poll records when the server is up but did not answer within the poll timeout. */
    private static final int NO_ANSWER_IN_TIME = 0;

    @TempDir
    static Path tmp;

    private static String name;
    private static int restPort;
    private static int grpcPort;
    private static Path conf;

    @BeforeAll
    static void startTheContainer() throws Exception {
        Path tar = Path.of(System.getProperty("argus.container.tar", "target/jib-image.tar"));
        String reason = !onPath("podman") ? "podman is not installed (container/build installs it as root)"
                : !Files.isRegularFile(tar) ? "no image tar at " + tar + " (build it with container/build)" : null;
        if (reason != null) {
            System.out.println("SKIPPED ContainerIT: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        conf = RepoPaths.root().resolve("build/container/containers.conf");
        podman(120, "load", "--quiet", "-i", tar.toString());
        restPort = freePort();
        grpcPort = freePort();
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        name = "argus-it-" + ProcessHandle.current().pid();
        podman(60, "run", "-d", "--name", name, "--network=host", "--read-only", "--tmpfs", "/tmp:rw,mode=1777",
                "-v", data + ":/var/lib/argus", "-v", TestModels.directory() + ":/models:ro",
                "-e", "ARGUS_MODEL=/models/resnet50.onnx", "-e", "ARGUS_MODEL_NAME=argus/resnet50-test",
                "-e", "ARGUS_REST_PORT=" + restPort, "-e", "ARGUS_GRPC_PORT=" + grpcPort,
                "-e", "ARGUS_SERVER_SHUTDOWN_GRACE_MS=" + GRACE_MS, "-e", "ARGUS_SERVER_SHUTDOWN_DELAY_MS=" + DELAY_MS,
                // it binds every interface: open serving is refused unless tokens are set or this says so
                "-e", "ARGUS_SERVER_ALLOW_UNAUTHENTICATED=true",
                System.getProperty("argus.container.image"));
        long t0 = System.nanoTime();
        while (status("/v2/health/ready") != 200) {
            if (System.nanoTime() - t0 > 180_000_000_000L || !running()) {
                throw new IllegalStateException("the container never became ready:\n" + logs());
            }
            Thread.sleep(250);
        }
        System.out.println("[container] ready after " + (System.nanoTime() - t0) / 1_000_000 + " ms (JVM start, model load, warm-up)");
        System.out.println("[container] " + podman(30, "image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}",
                System.getProperty("argus.container.image")).strip());
    }

    @AfterAll
    static void removeTheContainer() throws Exception {
        if (name != null) {
            System.out.println("[container] logs:\n" + logs());
            podman(60, "rm", "-f", name);
        }
    }

    @Test
    @Order(1)
    void runsAsANonRootUserOnAReadOnlyRootFilesystem() throws Exception {
        String inspect = podman(30, "inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}", name).strip();
        assertThat(inspect).isEqualTo("65532:65532 true");
    }

    @Test
    @Order(1)
    void refusesToServeEveryInterfaceWithoutATokenUnlessToldTo() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("podman", "run", "--rm", "--network=none", "--read-only", "--tmpfs",
                "/tmp:rw,mode=1777", "-v", TestModels.directory() + ":/models:ro", "-e", "ARGUS_MODEL=/models/resnet50.onnx",
                System.getProperty("argus.container.image")).redirectErrorStream(true);
        if (Files.isRegularFile(conf)) {
            pb.environment().put("CONTAINERS_CONF", conf.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("argus.rest.auth-tokens").contains("argus.server.allow-unauthenticated");
    }

    @Test
    @Order(1)
    void sizesWorkersAndThreadsFromTheContainersCpuLimit() throws Exception {
        String out = podman(90, "run", "--rm", "--network=host", "--cpus=1", System.getProperty("argus.container.image"), "config");
        System.out.println("[container] --cpus=1: " + out.lines().filter(l -> l.startsWith("# ")).toList());
        assertThat(out).contains("1 CPUs, 1 worker(s) x 1 thread(s)").contains("container's CPU limit");
    }

    @Test
    @Order(2)
    void classifiesASharedPhotoOverRestAndGrpcAsTheSameModelOutsideTheContainer() throws Exception {
        Path photo = TestImages.sharedPhotos().isEmpty() ? null : TestImages.sharedPhotos().get(0);
        byte[] image = photo != null ? Files.readAllBytes(photo) : TestImages.noise(640, 480, 7, "jpg");
        ClassificationResult outside = outside(image);

        HttpResponse<String> rest = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + CF))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(rest.body()).get("result");
        assertThat(result).hasSize(5);

        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        ClassifyResponse grpc;
        try {
            grpc = ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(image)).build());
        } finally {
            ch.shutdownNow();
        }
        for (int i = 0; i < 5; i++) {
            Classification want = outside.classifications().get(i);
            assertThat(result.get(i).get("label").asText()).as("REST #" + i).isEqualTo(want.label());
            assertThat(result.get(i).get("score").asDouble()).as("REST #" + i).isCloseTo(want.score(), within(1e-4));
            assertThat(grpc.getClassifications(i).getLabel()).as("gRPC #" + i).isEqualTo(want.label());
            assertThat(grpc.getClassifications(i).getScore()).as("gRPC #" + i).isCloseTo(want.score(), within(1e-4));
        }
        System.out.println("[container] " + (photo == null ? "noise image" : photo.getFileName()) + ": " + want(outside)
                + " inside and outside");
    }

    /**
     * Without a mounted model the image fetches the default {@code hf://} model into its data volume, verified by
     * SHA-256: here from a loopback stand-in for the Hub serving the probe model under the default model's path.
     */
    @Test
    @Order(2)
    void downloadsTheDefaultModelIntoTheDataVolumeOnFirstStart() throws Exception {
        byte[] model = Files.readAllBytes(TestModels.probeOnnx());
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(model));
        com.sun.net.httpserver.HttpServer hub = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> {
            try (ex) {
                if (!ex.getRequestURI().getPath().equals("/Xenova/resnet-50/resolve/main/onnx/model.onnx")) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                var h = ex.getResponseHeaders();
                h.set("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567");
                h.set("X-Linked-Etag", "\"" + sha + "\"");
                h.set("X-Linked-Size", Integer.toString(model.length));
                if (ex.getRequestMethod().equals("HEAD")) {
                    h.set("Content-Length", Integer.toString(model.length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(200, model.length);
                    ex.getResponseBody().write(model);
                }
            }
        });
        hub.start();
        try {
            Path data = Files.createDirectory(tmp.resolve("fresh-data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
            String out = podman(120, "run", "--rm", "--network=host", "--read-only", "--tmpfs", "/tmp:rw,mode=1777",
                    "-v", data + ":/var/lib/argus", "-e", "ARGUS_HUB_ENDPOINT=http://127.0.0.1:" + hub.getAddress().getPort(),
                    System.getProperty("argus.container.image"), "model", "fetch");
            System.out.println("[container] model fetch: " + out.lines().reduce((a, b) -> b).orElse(""));
            try (var files = Files.walk(data)) {
                Path fetched = files.filter(f -> f.getFileName().toString().equals("model.onnx")).findFirst().orElseThrow(
                        () -> new AssertionError("no model.onnx under the data volume: " + out));
                assertThat(Files.readAllBytes(fetched)).isEqualTo(model);
            }
        } finally {
            hub.stop(0);
        }
    }

    /**
     * SIGTERM while clients keep sending: readiness goes false, requests already accepted are answered, new ones are
     * refused, and the JVM exits within the grace period.
     */
    @Test
    @Order(3)
    void sigtermDuringABurstLosesNoAcceptedRequest() throws Exception {
        byte[] image = TestImages.noise(500, 375, 11, "jpg");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger answeredOther = new AtomicInteger();
        ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + CF))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        (r.statusCode() == 200 ? ok : answeredOther).incrementAndGet();
                    } catch (ConnectException e) {
                        refused.incrementAndGet();
                        sleep(20);
                    } catch (IOException e) {
                        lost.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "burst-" + c);
            t.start();
            clients.add(t);
        }
        Thread.sleep(2000);
        int before = ok.get();
        // Readiness is polled on its own thread, back to back, so that the (slow) podman calls below do not space the
        // polls out; each poll gives up well within the delay.
        ConcurrentLinkedQueue<Integer> polled = new ConcurrentLinkedQueue<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                polled.add(readiness());
                sleep(10);
            }
        }, "readiness-poller");
        long t0 = System.nanoTime();
        podman(30, "kill", "--signal", "TERM", name);
        poller.start();
        while (running() && System.nanoTime() - t0 < (DELAY_MS + GRACE_MS + 15_000) * 1_000_000L) {
            Thread.sleep(50);
        }
        long stoppedMs = (System.nanoTime() - t0) / 1_000_000;
        polling.set(false);
        poller.join(READINESS_POLL_TIMEOUT.toMillis() + 5_000);
        List<Integer> readiness = new ArrayList<>(polled);
        stop.set(true);
        for (Thread t : clients) {
            t.join(35_000);
        }
        String exit = podman(30, "inspect", "--format", "{{.State.ExitCode}}", name).strip();
        System.out.println("[container] SIGTERM: stopped after " + stoppedMs + " ms, exit " + exit + "; answered 200: "
                + ok.get() + " (" + before + " before the signal), other answers: " + answeredOther.get() + ", refused: "
                + refused.get() + ", lost: " + lost.size() + "; readiness seen after the signal: " + compress(readiness));
        assertThat(before).as("the burst was running").isPositive();
        assertThat(lost).as("accepted requests that got no answer").isEmpty();
        assertThat(stoppedMs).as("stops within the delay and the grace period").isLessThan(DELAY_MS + GRACE_MS + 5_000);
        assertThat(running()).isFalse();
        assertThat(exit).isIn("0", "143");
        int notReady = readiness.indexOf(503);
        int gone = readiness.indexOf(-1);
        assertThat(notReady).as("readiness goes false while the server still answers: " + compress(readiness)).isGreaterThanOrEqualTo(0);
        assertThat(gone < 0 || notReady < gone).as("not ready before new requests are refused: " + compress(readiness)).isTrue();
    }

    private static ClassificationResult outside(byte[] image) {
        Settings s = Settings.defaults().set(Key.MODEL, TestModels.resnet50Onnx().toString(), "test")
                .set(Key.MODEL_NAME, "argus/resnet50-test", "test").set(Key.DATA_DIR, tmp.resolve("outside").toString(), "test");
        try (Argus argus = Argus.start(ArgusConfig.from(s, Map.of()), ModelSource.ProgressListener.NONE)) {
            return argus.useCase().classify(ImageInput.of(image), ClassifyOptions.defaults());
        }
    }

    private static String want(ClassificationResult r) {
        return r.classifications().get(0).label() + " " + String.format("%.4f", r.classifications().get(0).score());
    }

    private static String compress(List<Integer> codes) {
        StringBuilder sb = new StringBuilder();
        Integer last = null;
        int n = 0;
        for (Integer c : codes) {
            if (c.equals(last)) {
                n++;
                continue;
            }
            if (last != null) {
                sb.append(last).append('x').append(n).append(' ');
            }
            last = c;
            n = 1;
        }
        if (last != null) {
            sb.append(last).append('x').append(n);
        }
        return sb.toString().strip();
    }

    /**
     * Readiness as a poll sees it during shutdown: the HTTP status, {@link #NO_ANSWER_IN_TIME} when the server took
     * longer than {@link #READINESS_POLL_TIMEOUT} (busy, not gone), or -1 when the connection was refused or dropped.
     */
    private static int readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/v2/health/ready"))
                    .timeout(READINESS_POLL_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            return NO_ANSWER_IN_TIME;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    private static int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path)).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean running() throws Exception {
        return podman(30, "inspect", "--format", "{{.State.Running}}", name).strip().equals("true");
    }

    private static String logs() throws Exception {
        return podman(30, "logs", "--tail", "40", name);
    }

    private static String podman(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (Files.isRegularFile(conf)) {
            pb.environment().put("CONTAINERS_CONF", conf.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("podman " + String.join(" ", args) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
