package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model control while serving, as Triton's: explicit load and unload with an admin token, and polling. Hot reloads
 * under load lose no request, a broken new version leaves the old one serving, and an unload lets requests in flight
 * finish. The zoo's ViT and MobileNet answer with different labels ("vit:..." against upper case), which tells which
 * version answered each request.
 */
class ModelControlIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = "admin-secret";
    private static final byte[] IMAGE = TestImages.noise(160, 120, 7, "png");

    @TempDir
    Path dir;

    private Settings settings(Path repo, String control) {
        return Settings.defaults()
                .set(Key.REPOSITORY, repo.toString(), "test")
                .set(Key.REPOSITORY_CONTROL, control, "test")
                .set(Key.REPOSITORY_POLL_INTERVAL_MS, "200", "test")
                .set(Key.SERVER_ADMIN_TOKENS, ADMIN, "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test")
                .set(Key.REST_PORT, "0", "test")
                .set(Key.GRPC_PORT, "0", "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "1", "test")
                .set(Key.SERVER_SHUTDOWN_GRACE_MS, "10000", "test");
    }

    private static HttpResponse<String> post(int port, String path, byte[] body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Clients classifying with one model as fast as they are answered; counts what was sent and how it was answered. */
    private static final class Load implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService pool;
        private final List<Future<?>> clients = new ArrayList<>();

        Load(int port, String model, int clients) {
            pool = Executors.newFixedThreadPool(clients);
            for (int i = 0; i < clients; i++) {
                this.clients.add(pool.submit(() -> {
                    while (!stop.get()) {
                        sent.incrementAndGet();
                        String outcome;
                        try {
                            HttpResponse<String> r = post(port, "/v1/models/" + model + "/classify?label_style=imagenet", IMAGE, null);
                            outcome = r.statusCode() + (r.statusCode() == 200 ? kind(r.body()) : "");
                        } catch (Exception e) {
                            outcome = "exception " + e;
                        }
                        answers.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
        }

        /** Which model answered: the ViT's labels start with "vit:", MobileNet's are upper case. */
        private static String kind(String body) throws IOException {
            String label = JSON.readTree(body).at("/result/predictions/0/label").asText();
            return label.startsWith("vit:") ? " vit" : label.equals(label.toUpperCase(java.util.Locale.ROOT)) ? " mobilenet" : " other";
        }

        int count(String outcome) {
            AtomicInteger n = answers.get(outcome);
            return n == null ? 0 : n.get();
        }

        int received() {
            return answers.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        void awaitAtLeast(int answered) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received() < answered && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }

    @Test
    void explicitLoadReloadsUnderLoadLosingNothingKeepsServingThroughABrokenVersionAndUnloadsWithRequestsInFlight()
            throws Exception {
        Path repo = dir.resolve("repo");
        Zoo.version(repo.resolve("m/1"), "vit-tiny");
        Zoo.version(repo.resolve("other/1"), "mobilenet-v3-small");
        Settings s = settings(repo, "explicit");
        try (Servers servers = Servers.startRepository(s, Map.of(), ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            int port = servers.rest().orElseThrow().port();

            // only an admin token loads: none is 401, and so is an inference client's
            assertThat(post(port, "/v2/repository/models/m/load", new byte[0], null).statusCode()).isEqualTo(401);
            assertThat(post(port, "/v2/repository/models/m/load", new byte[0], "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> nothing = post(port, "/v2/repository/models/nope/load", new byte[0], ADMIN);
            assertThat(nothing.statusCode()).isEqualTo(404);
            assertThat(nothing.body()).contains("holds no model 'nope'");

            Load load = new Load(port, "m", 4);
            try (load) {
                load.awaitAtLeast(10);
                // a new version: loaded and warmed up beside the old one, then served; version 1 drains and goes
                Zoo.version(repo.resolve("m/2"), "mobilenet-v3-small");
                HttpResponse<String> loaded = post(port, "/v2/repository/models/m/load", new byte[0], ADMIN);
                assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
                int afterReload = load.received();
                load.awaitAtLeast(afterReload + 10);

                // a broken version 3: the load fails saying why, and version 2 goes on serving
                Files.createDirectories(repo.resolve("m/3"));
                Files.copy(Zoo.model("vit-tiny").resolve("config.json"), repo.resolve("m/3/config.json"));
                Files.copy(Zoo.model("vit-tiny").resolve("preprocessor_config.json"), repo.resolve("m/3/preprocessor_config.json"));
                Files.writeString(repo.resolve("m/3/model.onnx"), "not a model");
                HttpResponse<String> broken = post(port, "/v2/repository/models/m/load", new byte[0], ADMIN);
                assertThat(broken.statusCode()).isEqualTo(400);
                assertThat(broken.body()).contains("version 3").contains("What was served stays served");
                int afterBroken = load.received();
                load.awaitAtLeast(afterBroken + 10);
            }
            assertThat(load.received()).as(load.answers.toString()).isEqualTo(load.sent.get());
            assertThat(load.count("200 vit") + load.count("200 mobilenet")).as("every request answered by a model: "
                    + load.answers).isEqualTo(load.sent.get());
            assertThat(load.count("200 vit")).as(load.answers.toString()).isPositive();
            assertThat(load.count("200 mobilenet")).as(load.answers.toString()).isGreaterThanOrEqualTo(20);
            JsonNode meta = JSON.readTree(get(port, "/v2/models/m").body());
            assertThat(meta.get("versions").toString()).isEqualTo("[\"2\"]");
            String index = post(port, "/v2/repository/index", new byte[0], null).body();
            assertThat(index).contains("{\"name\":\"m\",\"version\":\"2\",\"state\":\"READY\",\"reason\":\"\"}")
                    .contains("{\"name\":\"m\",\"version\":\"3\",\"state\":\"UNAVAILABLE\"");

            // unload with requests in flight: those in flight finish, the rest are told the model is gone
            Load during = new Load(port, "m", 4);
            try (during) {
                during.awaitAtLeast(10);
                HttpResponse<String> unloaded = post(port, "/v2/repository/models/m/unload", new byte[0], ADMIN);
                assertThat(unloaded.statusCode()).as(unloaded.body()).isEqualTo(200);
                int at = during.received();
                during.awaitAtLeast(at + 8);
            }
            assertThat(during.received()).isEqualTo(during.sent.get());
            assertThat(during.answers.keySet()).as(during.answers.toString())
                    .allMatch(k -> k.equals("200 mobilenet") || k.equals("404") || k.equals("503"));
            assertThat(during.count("200 mobilenet")).isPositive();
            assertThat(during.count("404")).isPositive();
            assertThat(post(port, "/v1/models/other/classify", IMAGE, null).statusCode()).as("the other model serves on").isEqualTo(200);
            assertThat(get(port, "/v2/health/ready").statusCode()).isEqualTo(200);
            assertThat(post(port, "/v2/repository/models/m/unload", new byte[0], ADMIN).statusCode()).isEqualTo(404);

            // the same over gRPC: the index, and load/unload with the admin token only
            io.grpc.ManagedChannel ch = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", servers.grpc().orElseThrow().port())
                    .usePlaintext().build();
            try {
                var stub = dev.argus.grpc.v1.ModelRepositoryGrpc.newBlockingStub(ch).withDeadlineAfter(120, TimeUnit.SECONDS);
                var models = stub.index(dev.argus.grpc.v1.RepositoryIndexRequest.getDefaultInstance()).getModelsList();
                assertThat(models).anySatisfy(m -> assertThat(m.getName() + " " + m.getVersion() + " " + m.getState())
                        .isEqualTo("other 1 READY"));
                var other = dev.argus.grpc.v1.RepositoryModelRequest.newBuilder().setName("other").build();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> stub.unload(other))
                        .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
                io.grpc.Metadata admin = new io.grpc.Metadata();
                admin.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ADMIN);
                var asAdmin = stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(admin));
                asAdmin.unload(other);
                assertThat(post(port, "/v1/models/other/classify", IMAGE, null).statusCode()).isEqualTo(404);
                asAdmin.load(other);
                assertThat(post(port, "/v1/models/other/classify", IMAGE, null).statusCode()).isEqualTo(200);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> asAdmin.load(
                        dev.argus.grpc.v1.RepositoryModelRequest.newBuilder().setName("nope").build()))
                        .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(io.grpc.Status.Code.NOT_FOUND));
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void pollPicksUpNewVersionsNewModelsAndRemovedOnesAndNoneRefusesTheApi() throws Exception {
        Path repo = dir.resolve("polled");
        Zoo.version(repo.resolve("m/1"), "vit-tiny");
        Settings s = settings(repo, "poll");
        try (Servers servers = Servers.startRepository(s, Map.of(), ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            int port = servers.rest().orElseThrow().port();
            HttpResponse<String> refused = post(port, "/v2/repository/models/m/load", new byte[0], ADMIN);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("argus.repository.control=poll");

            Zoo.version(repo.resolve("m/2"), "mobilenet-v3-small");
            Zoo.version(repo.resolve("n/1"), "vit-tiny");
            awaitStatus(port, "/v2/models/m/versions/2/ready", 200);
            awaitStatus(port, "/v2/models/n/ready", 200);
            assertThat(get(port, "/v2/models/m/versions/1/ready").statusCode()).as("latest only").isEqualTo(404);
            HttpResponse<String> r = post(port, "/v1/models/m/classify?label_style=imagenet", IMAGE, null);
            assertThat(JSON.readTree(r.body()).at("/result/predictions/0/label").asText()).doesNotStartWith("vit:");

            try (java.util.stream.Stream<Path> files = Files.walk(repo.resolve("n"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            awaitStatus(port, "/v2/models/n/ready", 404);

            // a broken model is listed with its reason while its folder is there, and forgotten once it is gone
            Files.createDirectories(repo.resolve("broken/1"));
            Files.write(repo.resolve("broken/1/model.onnx"), new byte[] {1, 2, 3});
            Files.writeString(repo.resolve("broken/model.properties"), "required=false\n");
            awaitIndex(port, true);
            try (java.util.stream.Stream<Path> files = Files.walk(repo.resolve("broken"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            awaitIndex(port, false);
        }
        Settings none = settings(repo, "none");
        try (Servers servers = Servers.startRepository(none, Map.of(), ServingConfig.from(none), ModelSource.ProgressListener.NONE)) {
            HttpResponse<String> refused = post(servers.rest().orElseThrow().port(), "/v2/repository/models/m/unload", new byte[0], ADMIN);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("argus.repository.control=none");
        }
    }

    /** Waits until the repository index lists the model "broken" as UNAVAILABLE ({@code listed}) or not at all. */
    private static void awaitIndex(int port, boolean listed) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < end) {
            last = get(port, "/v2/repository/index").body();
            if (last.contains("\"broken\"") == listed && (!listed || last.contains("UNAVAILABLE"))) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(last).as("the index " + (listed ? "lists" : "no longer lists") + " the broken model").isEqualTo(listed ? "broken listed" : "not listed");
    }

    private static void awaitStatus(int port, String path, int status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int last = -1;
        while (System.nanoTime() < end) {
            last = get(port, path).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(last).as(path).isEqualTo(status);
    }
}
