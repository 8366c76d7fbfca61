package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.cli.Main;
import dev.argus.app.quantize.SyntheticImages;
import dev.argus.grpc.GrpcConfig;
import dev.argus.grpc.inference.GRPCInferenceServiceGrpc;
import dev.argus.grpc.inference.ModelConfig;
import dev.argus.grpc.inference.ModelConfigRequest;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.GetModelRequest;
import dev.argus.grpc.v1.ModelInfo;
import dev.argus.onnxmodel.OnnxModels;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import dev.argus.testkit.TestModels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A model written by {@code argus quantize} is served as any other, and shows its precision and the agreement recorded
 * at quantization in {@code GetModel}, KServe's {@code ModelConfig}, {@code /v2/models/{name}} (and its config) and
 * {@code argus config}; a float model says it records none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizedModelShownTest {
    private static final String NAME = "probe-int8";
    private static final Map<String, String> ENV = Map.of("ORT_DISABLE_TELEMETRY", "1");

    private Path dir;
    private Path int8;
    private Map<String, String> recorded;
    private ProbeServer served;
    private RestServer rest;
    private ManagedChannel channel;

    @BeforeAll
    void quantizeAndServe() throws IOException {
        dir = Files.createTempDirectory("argus-quantized-shown");
        int8 = dir.resolve("probe-int8.onnx");
        Run q = argus("quantize", "--model", TestModels.probeOnnx().toString(),
                "--calibration", SyntheticImages.folder(dir.resolve("cal"), 16, 1).toString(),
                "--held-out", SyntheticImages.folder(dir.resolve("held"), 16, 2).toString(),
                "--out", int8.toString(), "--keep-fp32", "none");
        assertThat(q.code()).as(q.err()).isZero();
        recorded = OnnxModels.metadata(int8);
        assertThat(recorded).containsEntry("precision", "int8").containsKey("quantization.agreement.top1");
        served = ProbeServer.on(int8, NAME, GrpcConfig.defaults());
        rest = new RestServer(RestConfig.defaults().withHost("127.0.0.1").withPort(0), served.argus.useCase(), () -> true)
                .start();
        channel = Grpc.newChannelBuilder(served.target(), InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    void stop() throws InterruptedException, IOException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (rest != null) {
            rest.close();
        }
        if (served != null) {
            served.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void getModelShowsThePrecisionAndEveryRecordedProperty() {
        ModelInfo info = ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getModel(GetModelRequest.getDefaultInstance());
        assertThat(info.getPrecision()).isEqualTo("int8");
        assertThat(info.getPropertiesMap()).isEqualTo(recorded);
    }

    @Test
    void kserveModelConfigListsThemAsTritonParameters() {
        ModelConfig config = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .modelConfig(ModelConfigRequest.newBuilder().setName(NAME).build()).getConfig();
        assertThat(config.getParametersMap()).hasSameSizeAs(recorded);
        assertThat(config.getParametersMap().get("precision").getStringValue()).isEqualTo("int8");
        assertThat(config.getParametersMap().get("quantization.agreement.top1").getStringValue())
                .isEqualTo(recorded.get("quantization.agreement.top1"));
    }

    @Test
    void modelMetadataAndConfigOverRestShowThem() throws Exception {
        JsonNode metadata = get("/v2/models/" + NAME);
        JsonNode parameters = metadata.get("parameters");
        assertThat(parameters.get("precision").asText()).isEqualTo("int8");
        assertThat(parameters.get("preprocessing").get("width").asInt()).isPositive(); // still there beside them
        JsonNode props = parameters.get("model_properties");
        assertThat(props.size()).isEqualTo(recorded.size());
        recorded.forEach((k, v) -> assertThat(props.get(k).asText()).as(k).isEqualTo(v));

        JsonNode config = get("/v2/models/" + NAME + "/config").get("parameters");
        assertThat(config.get("precision").get("string_value").asText()).isEqualTo("int8");
        assertThat(config.get("quantization.agreement.top5_overlap").get("string_value").asText())
                .isEqualTo(recorded.get("quantization.agreement.top5_overlap"));
    }

    @Test
    void argusConfigShowsThePrecisionAndTheAgreementTheFileRecords() {
        Run r = argus("config", "-D", "argus.model=" + int8, "-D", "argus.model.name=" + NAME,
                "-D", "argus.data-dir=" + dir.resolve("data"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# model: " + int8 + ", precision int8; agreement with the float model on "
                + recorded.get("quantization.agreement.images") + " held-out images: top-1 "
                + recorded.get("quantization.agreement.top1") + " (at least " + recorded.get("quantization.agreement.top1_lower95")
                + " at 95% confidence), mean top-5 overlap "
                + recorded.get("quantization.agreement.top5_overlap") + ", largest score difference "
                + recorded.get("quantization.agreement.max_score_difference"));

        Run plain = argus("config", "-D", "argus.model=" + TestModels.probeOnnx(), "-D", "argus.data-dir=" + dir.resolve("data"));
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("# model: " + TestModels.probeOnnx() + ", precision not recorded");
    }

    @Test
    void aFloatModelRecordsNoPrecision() {
        try (ProbeServer plain = ProbeServer.probe()) {
            ManagedChannel c = Grpc.newChannelBuilder(plain.target(), InsecureChannelCredentials.create()).build();
            try {
                ModelInfo info = ClassifierGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getModel(GetModelRequest.getDefaultInstance());
                assertThat(info.getPrecision()).isEmpty();
                assertThat(info.getPropertiesMap()).doesNotContainKey("precision");
            } finally {
                c.shutdownNow();
            }
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rest.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private record Run(int code, String out, String err) {
    }

    private static Run argus(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), ENV);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
