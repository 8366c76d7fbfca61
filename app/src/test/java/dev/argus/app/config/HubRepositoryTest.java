package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelStyle;
import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hf://OWNER/REPO}: a whole repository's model folder, downloaded from a loopback stand-in for the Hub. */
class HubRepositoryTest {
    @TempDir
    Path dir;

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private HttpServer hub;

    @BeforeEach
    void startHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        hub.createContext("/", this::serve);
        hub.start();
    }

    @AfterEach
    void stopHub() {
        if (!stopped) {
            hub.stop(0);
        }
    }

    private boolean stopped;

    /**
     * As the Hub answers: a small file (the JSON) directly, with a git object id as its ETag (no SHA-256 to check); a
     * large one (the .onnx, stored in LFS) as a 302 to the CDN with its SHA-256 and size in X-Linked-Etag and
     * X-Linked-Size; anything else 404.
     */
    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            boolean cdn = path.startsWith("/cdn/");
            byte[] body = files.get(cdn ? path.substring(4) : path);
            if (body == null) {
                ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().set("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567");
            if (path.endsWith(".onnx") && !cdn) {
                ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256(body) + "\"");
                ex.getResponseHeaders().set("X-Linked-Size", Integer.toString(body.length));
                ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + hub.getAddress().getPort() + "/cdn" + path);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            ex.getResponseHeaders().set("ETag", "\"" + sha256(body).substring(0, 40) + "\"");
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The probe model as acme/probe-net at {@code modelPath}, with the ResNet-50 processor and 1,000 named classes. */
    private void publish(String modelPath) throws IOException {
        String base = "/acme/probe-net/resolve/main/";
        files.put(base + modelPath, Files.readAllBytes(TestModels.probeOnnx()));
        files.put(base + "preprocessor_config.json", Files.readAllBytes(HuggingFaceProcessorTest.CONFIGS.resolve("resnet-50.json")));
        files.put(base + "config.json", HuggingFaceFolderTest.configJson("hub class ", "").getBytes(StandardCharsets.UTF_8));
    }

    private Settings settings(String location) {
        return Settings.defaults().set(Key.MODEL, location, "test").set(Key.DATA_DIR, dir.toString(), "test")
                .set(Key.HUB_ENDPOINT, "http://127.0.0.1:" + hub.getAddress().getPort(), "test");
    }

    @Test
    void aRepositoryLocationIsDownloadedAsItsModelFolderAndServed() throws IOException {
        publish("onnx/model.onnx");
        ArgusConfig config = ArgusConfig.from(settings("hf://acme/probe-net"), Map.of());
        assertThat(config.hubFolder()).contains(new ArgusConfig.FolderKeys(false, false, false));
        ProbeCase probe = ProbeCase.all().get(0);
        try (Argus argus = Argus.start(config, ModelSource.ProgressListener.NONE)) {
            ArgusConfig used = argus.config();
            assertThat(used.modelLocation()).endsWith("probe-net/main/onnx/model.onnx".replace('/', java.io.File.separatorChar));
            assertThat(used.model().name()).as("config.json has no _name_or_path: the repository's").isEqualTo("acme/probe-net");
            assertThat(used.model().preprocess()).isEqualTo(PreprocessSpec.resnet50());
            ClassificationOutcome out = argus.classifier().classify(List.of(Files.readAllBytes(probe.file())),
                    new ClassifyOptions(1, LabelStyle.IMAGENET)).get(0);
            assertThat(out).isInstanceOfSatisfying(ClassificationOutcome.Success.class, s ->
                    assertThat(s.result().classifications().get(0).label()).isEqualTo("hub class " + probe.expectedClass()));
        }
    }

    @Test
    void withBothExportsTheOneUnderOnnxIsServedAndACompleteCacheNeedsNoNetwork() throws IOException {
        publish("model.onnx");
        publish("onnx/model.onnx");
        files.put("/acme/probe-net/resolve/main/preprocessor_config.json",
                Files.readAllBytes(HuggingFaceProcessorTest.CONFIGS.resolve("vit.json")));
        try (Argus argus = Argus.start(ArgusConfig.from(settings("hf://acme/probe-net"), Map.of()), ModelSource.ProgressListener.NONE)) {
            assertThat(argus.config().modelLocation()).endsWith("onnx" + java.io.File.separator + "model.onnx");
            assertThat(argus.config().model().preprocess().mean()).as("the repository's processor").containsExactly(0.5f, 0.5f, 0.5f);
        }
        hub.stop(0); // the Hub is gone: the cache serves
        stopped = true;
        try (Argus argus = Argus.start(ArgusConfig.from(settings("hf://acme/probe-net"), Map.of()), ModelSource.ProgressListener.NONE)) {
            assertThat(argus.config().model().preprocess().resample()).isEqualTo(dev.argus.domain.Resample.BILINEAR);
        }
    }

    @Test
    void offlineARootExportInTheCacheIsServed() throws IOException {
        publish("model.onnx");
        try (Argus argus = Argus.start(ArgusConfig.from(settings("hf://acme/probe-net"), Map.of()), ModelSource.ProgressListener.NONE)) {
            assertThat(argus.config().modelLocation()).endsWith("main" + java.io.File.separator + "model.onnx");
        }
        files.clear();
        try (Argus argus = Argus.start(ArgusConfig.from(settings("hf://acme/probe-net").set(Key.HUB_OFFLINE, "true", "t"),
                Map.of()), ModelSource.ProgressListener.NONE)) {
            assertThat(argus.config().model().labels().fullNames().get(1)).isEqualTo("hub class 1");
        }
    }

    @Test
    void anExportAtTheRootIsFoundWhenOnnxModelOnnxIsMissing() throws IOException {
        publish("model.onnx");
        try (Argus argus = Argus.start(ArgusConfig.from(settings("hf://acme/probe-net@main").set(Key.MODEL_NAME, "mine", "flag"),
                Map.of()), ModelSource.ProgressListener.NONE)) {
            assertThat(argus.config().modelLocation()).endsWith("model.onnx");
            assertThat(argus.config().model().name()).as("a name the user sets wins").isEqualTo("mine");
            assertThat(argus.config().model().labels().fullNames().get(3)).isEqualTo("hub class 3");
        }
    }

    @Test
    void aRepositoryWithoutAnOnnxExportOrItsConfigurationsSaysWhatIsMissing() throws IOException {
        publish("weights.bin");
        assertThatThrownBy(() -> Argus.start(ArgusConfig.from(settings("hf://acme/probe-net"), Map.of()),
                ModelSource.ProgressListener.NONE)).isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("no ONNX export at onnx/model.onnx or model.onnx");
        files.clear(); // and a fresh cache: the configurations downloaded above are cached
        assertThatThrownBy(() -> Argus.start(ArgusConfig.from(settings("hf://acme/probe-net")
                .set(Key.DATA_DIR, dir.resolve("fresh").toString(), "test"), Map.of()), ModelSource.ProgressListener.NONE))
                .isInstanceOf(ArgusException.class).hasMessageContaining("config.json").hasMessageContaining("no such file");
    }

    @Test
    void onlyOnnxBackendsTakeARepositoryAndPreprocessingKeysConflict() throws IOException {
        publish("onnx/model.onnx");
        assertThatThrownBy(() -> Argus.start(ArgusConfig.from(settings("hf://acme/probe-net")
                .set(Key.BACKEND, "djl-pytorch", "flag"), Map.of()), ModelSource.ProgressListener.NONE))
                .hasMessageContaining("djl-pytorch needs a file");
        assertThatThrownBy(() -> ArgusConfig.from(settings("hf://acme/probe-net").set(Key.MODEL_STD, "1,1,1", "flag"), Map.of()))
                .hasMessageContaining("argus.model.std").hasMessageContaining("one or the other");
    }

    @Test
    void onlyOwnerSlashRepoIsARepositoryLocation() {
        assertThat(HubRepository.parse("hf://acme/net")).isPresent();
        assertThat(HubRepository.parse("hf://acme/net@v2")).isPresent();
        for (String other : new String[] {"hf://acme/net/onnx/model.onnx", "hf://acme", "hf://acme/", "hf://acme/net@",
                "hf://acme/net#sha256=00", "/models/net", "https://acme/net"}) {
            assertThat(HubRepository.parse(other)).as(other).isEmpty();
        }
    }

    @Test
    void aRepositorysModelMayBeAHubRepositoryDownloadedWithItsTwoJsonFiles(@org.junit.jupiter.api.io.TempDir Path repo)
            throws Exception {
        publish("onnx/model.onnx");
        Files.createDirectories(repo.resolve("probe"));
        Files.writeString(repo.resolve("probe/model.properties"), "argus.model=hf://acme/probe-net\n");
        Settings s = Settings.defaults().set(Key.REPOSITORY, repo.toString(), "test").set(Key.DATA_DIR, dir.toString(), "test")
                .set(Key.HUB_ENDPOINT, "http://127.0.0.1:" + hub.getAddress().getPort(), "test")
                .set(Key.REST_PORT, "0", "test").set(Key.GRPC_ENABLED, "false", "test").set(Key.SERVER_WARMUP_ROUNDS, "1", "test");
        ProbeCase probe = ProbeCase.all().get(0);
        try (dev.argus.app.serve.Servers servers = dev.argus.app.serve.Servers.startRepository(s, Map.of(),
                ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + servers.rest().orElseThrow().port()
                            + "/v1/models/probe/versions/1/classify?label_style=imagenet"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(probe.bytes())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"model\":\"probe\"").contains("\"label\":\"hub class " + probe.expectedClass() + "\"");
        }
    }
}
