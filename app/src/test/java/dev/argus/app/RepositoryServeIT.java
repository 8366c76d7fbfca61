package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.LabelStyle;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.GetModelRequest;
import dev.argus.grpc.v1.ModelInfo;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model repository served: three architectures with three processors (ResNet-50 with ConvNext's processor,
 * MobileNetV3-small with BiT's, a small ViT with ViT's), each its own labels, served together over REST and gRPC.
 * Each answers as the same model served alone; requests reach the model they name; what failed to load is listed.
 */
class RepositoryServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("resnet-50", "mobilenet-v3-small", "vit-tiny");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Path repository;
    static List<byte[]> images;

    @BeforeAll
    static void repository() throws IOException {
        repository = dir.resolve("repo");
        Zoo.version(repository.resolve("resnet-50/1"), "resnet-50");
        Zoo.version(repository.resolve("mobilenet-v3-small/1"), "mobilenet-v3-small");
        Zoo.version(repository.resolve("mobilenet-v3-small/2"), "mobilenet-v3-small");
        Files.writeString(repository.resolve("mobilenet-v3-small/model.properties"), "versions=all\naliases=mobilenet\n");
        Zoo.version(repository.resolve("vit-tiny/1"), "vit-tiny");
        Files.writeString(repository.resolve("vit-tiny/model.properties"), "required=false\nargus.inference.max-batch=4\n");
        // broken: not an ONNX file; not required, so the others are served and the index says why
        Files.createDirectories(repository.resolve("broken/1"));
        Files.writeString(repository.resolve("broken/1/model.onnx"), "not a model");
        Files.writeString(repository.resolve("broken/model.properties"), "required=false\n");
        images = List.of(TestImages.noise(320, 240, 1, "png"), TestImages.noise(200, 300, 2, "jpg"),
                TestImages.solid(256, 256, 0x2060c0, "png"));
    }

    private static Settings settings() {
        return Settings.defaults()
                .set(Key.REPOSITORY, repository.toString(), "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test")
                .set(Key.REST_PORT, "0", "test")
                .set(Key.GRPC_PORT, "0", "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "1", "test");
    }

    /** Each model served alone, from its folder, answers these images so: labels (ImageNet style) and scores. */
    private static Map<String, List<ClassificationResult>> alone() {
        Map<String, List<ClassificationResult>> out = new LinkedHashMap<>();
        for (String model : MODELS) {
            Settings s = Settings.defaults().set(Key.MODEL, Zoo.model(model).toString(), "test")
                    .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test");
            try (Argus argus = Argus.start(ArgusConfig.from(s, Map.of()), ModelSource.ProgressListener.NONE)) {
                List<ClassificationResult> results = new ArrayList<>();
                for (byte[] image : images) {
                    results.add(argus.useCase().classify(ImageInput.of(image), new ClassifyOptions(5, LabelStyle.IMAGENET)));
                }
                out.put(model, results);
            }
        }
        return out;
    }

    private static HttpResponse<String> post(int port, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSameAnswer(JsonNode predictions, ClassificationResult alone, String what) {
        List<Classification> expected = alone.classifications();
        assertThat(predictions.size()).as(what).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(predictions.get(i).get("label").asText()).as(what + " #" + i).isEqualTo(expected.get(i).label());
            assertThat(predictions.get(i).get("score").asDouble()).as(what + " #" + i)
                    .isCloseTo(expected.get(i).score(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void threeArchitecturesServedTogetherAnswerAsEachAloneAndRequestsReachTheModelTheyName() throws Exception {
        Map<String, List<ClassificationResult>> alone = alone();
        // the three models disagree, and each speaks its own labels: the comparison below can tell them apart
        assertThat(alone.get("vit-tiny").get(0).classifications().get(0).label()).startsWith("vit:");
        assertThat(alone.get("mobilenet-v3-small").get(0).classifications().get(0).label())
                .isEqualTo(alone.get("mobilenet-v3-small").get(0).classifications().get(0).label().toUpperCase(java.util.Locale.ROOT));

        Settings s = settings();
        try (Servers servers = Servers.startRepository(s, Map.of(), ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            int port = servers.rest().orElseThrow().port();
            assertThat(get(port, "/v2/health/ready").statusCode()).isEqualTo(200);

            // every model, by its route, answers as it does alone
            for (String model : MODELS) {
                for (int i = 0; i < images.size(); i++) {
                    HttpResponse<String> r = post(port, "/v1/models/" + model + "/classify?top_k=5&label_style=imagenet", images.get(i));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode result = JSON.readTree(r.body()).get("result");
                    assertThat(result.get("model").asText()).isEqualTo(model);
                    assertSameAnswer(result.get("predictions"), alone.get(model).get(i), model + " image " + i);
                }
            }
            // a version by number, and an alias
            HttpResponse<String> v1 = post(port, "/v1/models/mobilenet/versions/1/classify?label_style=imagenet", images.get(0));
            assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
            assertSameAnswer(JSON.readTree(v1.body()).get("result").get("predictions"), alone.get("mobilenet-v3-small").get(0), "v1");

            // Cloudflare's id reaches resnet-50 (its name is the id's last part), which is also the default model
            HttpResponse<String> cf = post(port, "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50", images.get(1));
            assertThat(cf.statusCode()).as(cf.body()).isEqualTo(200);
            assertThat(JSON.readTree(cf.body()).get("result").get(0).get("label").asText())
                    .isEqualTo(LabelStyle.CLOUDFLARE.apply(alone.get("resnet-50").get(1).classifications().get(0).label()));
            HttpResponse<String> byDefault = post(port, "/v1/classify?label_style=imagenet", images.get(1));
            assertSameAnswer(JSON.readTree(byDefault.body()).get("result").get("predictions"), alone.get("resnet-50").get(1), "default");
            HttpResponse<String> otherCf = post(port, "/client/v4/accounts/a/ai/run/@cf/google/vit-base", images.get(1));
            assertThat(otherCf.statusCode()).isEqualTo(400);
            assertThat(otherCf.body()).contains("5007").contains("@cf/microsoft/resnet-50");

            // unknown names and versions: 404 naming what is served
            HttpResponse<String> unknown = post(port, "/v1/models/nope/classify", images.get(0));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("'vit-tiny' (version 1)").contains("'mobilenet-v3-small' (versions 2, 1)");
            assertThat(post(port, "/v1/models/vit-tiny/versions/7/classify", images.get(0)).statusCode()).isEqualTo(404);

            // OIP: metadata per model, its preprocessing included; infer answers with the version used
            JsonNode vit = JSON.readTree(get(port, "/v2/models/vit-tiny").body());
            assertThat(vit.get("name").asText()).isEqualTo("vit-tiny");
            assertThat(vit.at("/parameters/preprocessing/resample").asText()).isEqualTo("bilinear");
            assertThat(vit.at("/parameters/preprocessing/resize").asText()).isEqualTo("stretch");
            JsonNode mobilenet = JSON.readTree(get(port, "/v2/models/mobilenet-v3-small").body());
            assertThat(mobilenet.at("/parameters/preprocessing/resample").asText()).isEqualTo("bicubic");
            assertThat(mobilenet.get("versions").toString()).contains("\"1\"").contains("\"2\"");
            assertThat(get(port, "/v2/models/vit-tiny/ready").statusCode()).isEqualTo(200);
            String infer = "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\""
                    + java.util.Base64.getEncoder().encodeToString(images.get(2)) + "\"]}]}";
            HttpResponse<String> oip = post(port, "/v2/models/mobilenet-v3-small/versions/1/infer", infer.getBytes());
            assertThat(oip.statusCode()).as(oip.body()).isEqualTo(200);
            assertThat(JSON.readTree(oip.body()).get("model_version").asText()).isEqualTo("1");

            // the repository index: every version, the broken one with why
            JsonNode index = JSON.readTree(post(port, "/v2/repository/index", new byte[0]).body());
            assertThat(index.toString()).contains("\"name\":\"vit-tiny\",\"version\":\"1\",\"state\":\"READY\"");
            JsonNode broken = null;
            for (JsonNode e : index) {
                if (e.get("name").asText().equals("broken")) {
                    broken = e;
                }
            }
            assertThat(broken).as(index.toString()).isNotNull();
            assertThat(broken.get("state").asText()).isEqualTo("UNAVAILABLE");
            assertThat(broken.get("reason").asText()).isNotBlank();

            // per-model metrics
            String metrics = get(port, "/metrics").body();
            assertThat(metrics).contains("argus_inference_request_success_total{model=\"vit-tiny\",version=\"1\"}")
                    .contains("argus_model_version_ready{model=\"mobilenet-v3-small\",version=\"2\"} 1.0");

            // gRPC: the model field chooses; empty is the default; unknown is NOT_FOUND
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", servers.grpc().orElseThrow().port()).usePlaintext().build();
            try {
                ClassifierGrpc.ClassifierBlockingStub stub = ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
                ClassifyResponse g = stub.classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(images.get(0)))
                        .setModel("vit-tiny").setLabelStyle(dev.argus.grpc.v1.LabelStyle.LABEL_STYLE_IMAGENET).build());
                assertThat(g.getModel()).isEqualTo("vit-tiny");
                assertThat(g.getClassifications(0).getLabel()).isEqualTo(alone.get("vit-tiny").get(0).classifications().get(0).label());
                ClassifyResponse d = stub.classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(images.get(0))).build());
                assertThat(d.getModel()).isEqualTo("resnet-50");
                ModelInfo info = stub.getModel(GetModelRequest.newBuilder().setModel("mobilenet-v3-small").build());
                assertThat(info.getVersion()).isEqualTo("2");
                assertThat(info.getAliasesList()).contains("mobilenet");
                assertThat(info.getInput().getResample()).isEqualTo("bicubic");
                assertThatThrownBy(() -> stub.classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(images.get(0)))
                        .setModel("nope").build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                            assertThat(e.getStatus().getDescription()).contains("vit-tiny");
                        });
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void aRequiredModelThatCannotLoadStopsTheStartNamingIt() throws Exception {
        Path repo = dir.resolve("required-broken");
        Zoo.version(repo.resolve("vit-tiny/1"), "vit-tiny");
        Files.createDirectories(repo.resolve("broken/3"));
        Files.writeString(repo.resolve("broken/3/model.onnx"), "not a model");
        Settings s = settings().set(Key.REPOSITORY, repo.toString(), "test");
        assertThatThrownBy(() -> Servers.startRepository(s, Map.of(), ServingConfig.from(s), ModelSource.ProgressListener.NONE))
                .isInstanceOf(ArgusException.class).hasMessageContaining("required model 'broken' version 3")
                .hasMessageContaining("required=false");
    }
}
