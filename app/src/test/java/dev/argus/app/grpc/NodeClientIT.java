package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.LabelStyle;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Node.js clients (clients/node) against a real Argus serving REST and gRPC, both with a token: classify.mjs
 * (@grpc/grpc-js) gets the Java client's answer, and Cloudflare's official TypeScript SDK (npm {@code cloudflare}),
 * with only its base URL changed, gets the answer Argus gives over plain HTTP. Needs node and {@code npm ci} in
 * clients/node (.ci/setup-clients); skipped with the reason printed when either is missing.
 */
class NodeClientIT {
    private static final String REST_TOKEN = "rest-token-for-node";
    private static final String GRPC_TOKEN = "grpc-token-for-node";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Servers servers;
    private static ManagedChannel channel;

    /** Starts Argus when the clients can run (each test skips, saying why, when they cannot). */
    @BeforeAll
    static void start() throws InterruptedException, IOException {
        if (NodeClients.missing() != null) {
            return;
        }
        Settings s = TestConfigs.probeSettings()
                .set(Key.REST_AUTH_TOKENS, REST_TOKEN, "test")
                .set(Key.GRPC_TOKEN, GRPC_TOKEN, "test");
        servers = Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
        channel = Grpc.newChannelBuilder(grpcTarget(), InsecureChannelCredentials.create()).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void grpcClientAgreesWithTheJavaClient() throws Exception {
        NodeClients.assumeAvailable("NodeClientIT");
        for (ProbeCase c : ProbeCase.all()) {
            assertAgrees(c, javaClassify(c, 5, LabelStyle.LABEL_STYLE_CLOUDFLARE), "--top-k", "5", "--token", GRPC_TOKEN);
        }
        ProbeCase first = ProbeCase.all().get(0);
        assertAgrees(first, javaClassify(first, 3, LabelStyle.LABEL_STYLE_IMAGENET),
                "--top-k", "3", "--label-style", "imagenet", "--token", GRPC_TOKEN, "--deadline", "20");
    }

    @Test
    void grpcClientPrintsErrorsAsJsonAndExitsWithStatus1() throws Exception {
        NodeClients.assumeAvailable("NodeClientIT");
        Path text = Files.createTempFile("argus-not-an-image", ".txt");
        try {
            Files.writeString(text, "hello");
            assertThat(grpcError(text, "--token", GRPC_TOKEN).get("code").asText()).isEqualTo("INVALID_ARGUMENT");
            String image = ProbeCase.all().get(0).file().toString();
            assertThat(grpcError(Path.of(image), "--token", "wrong").get("code").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(grpcError(Path.of(image)).get("code").asText()).isEqualTo("UNAUTHENTICATED");
        } finally {
            Files.deleteIfExists(text);
        }
    }

    /** The SDK sends {"image": [byte values]} to .../ai/run/@cf%2Fmicrosoft%2Fresnet-50; plain HTTP here sends the file. */
    @Test
    void cloudflareSdkWithOnlyItsBaseUrlChangedGetsArgusOwnAnswer() throws Exception {
        NodeClients.assumeAvailable("NodeClientIT");
        for (ProbeCase c : ProbeCase.all()) {
            HttpResponse<String> plain = post(c.bytes(), "application/octet-stream", REST_TOKEN);
            assertThat(plain.statusCode()).as(c.name()).isEqualTo(200);
            JsonNode rest = JSON.readTree(plain.body()).get("result");
            String out = NodeClients.run(0, "cloudflare-sdk.mjs", baseUrl(), c.file().toString(), "--token", REST_TOKEN);
            JsonNode sdk = JSON.readTree(out).get("result");
            assertThat(sdk).as("SDK output: %s", out).isNotNull();
            assertThat(sdk.size()).as(c.name()).isEqualTo(rest.size()).isEqualTo(5);
            for (int i = 0; i < rest.size(); i++) {
                assertThat(sdk.get(i).get("label").asText()).as(c.name()).isEqualTo(rest.get(i).get("label").asText());
                assertThat(sdk.get(i).get("score").asDouble()).as(c.name()).isEqualTo(rest.get(i).get("score").asDouble());
            }
        }
    }

    @Test
    void cloudflareSdkSeesArgusErrorsAsItSeesCloudflareErrors() throws Exception {
        NodeClients.assumeAvailable("NodeClientIT");
        Path text = Files.createTempFile("argus-not-an-image", ".txt");
        try {
            Files.writeString(text, "hello");
            JsonNode bad = sdkError(text, "--token", REST_TOKEN);
            assertThat(bad.get("status").asInt()).isEqualTo(400);
            assertThat(bad.get("name").asText()).isEqualTo("BadRequestError");
            HttpResponse<String> plain = post("{\"image\":[104,101,108,108,111]}".getBytes(StandardCharsets.UTF_8), "application/json", REST_TOKEN);
            assertThat(plain.statusCode()).isEqualTo(400);
            assertThat(bad.get("errors")).isEqualTo(JSON.readTree(plain.body()).get("errors"));

            JsonNode denied = sdkError(ProbeCase.all().get(0).file(), "--token", "wrong");
            assertThat(denied.get("status").asInt()).isEqualTo(401);
            assertThat(denied.get("name").asText()).isEqualTo("AuthenticationError");
            assertThat(sdkError(ProbeCase.all().get(0).file()).get("status").asInt()).isEqualTo(401);
        } finally {
            Files.deleteIfExists(text);
        }
    }

    private static void assertAgrees(ProbeCase c, ClassifyResponse java, String... options) throws Exception {
        String out = NodeClients.run(0, "classify.mjs", args(grpcTarget(), c.file(), options));
        JsonNode node = JSON.readTree(out);
        JsonNode result = node.get("result");
        assertThat(result).as("node output: %s", out).isNotNull();
        assertThat(result.size()).as(c.name()).isEqualTo(java.getClassificationsCount());
        for (int i = 0; i < result.size(); i++) {
            assertThat(result.get(i).get("label").asText()).as(c.name()).isEqualTo(java.getClassifications(i).getLabel());
            assertThat(result.get(i).get("class_index").asInt()).as(c.name()).isEqualTo(java.getClassifications(i).getClassIndex());
            assertThat(result.get(i).get("score").asDouble()).as(c.name()).isEqualTo(java.getClassifications(i).getScore());
        }
        assertThat(node.get("model").asText()).isEqualTo(java.getModel());
        assertThat(node.get("backend").asText()).isEqualTo(java.getBackend());
        assertThat(node.get("timings").get("total_nanos").asLong()).isPositive();
        assertThat(result.get(0).get("class_index").asInt()).as(c.name()).isEqualTo(c.expectedClass());
    }

    private static ClassifyResponse javaClassify(ProbeCase c, int topK, LabelStyle style) {
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + GRPC_TOKEN);
        return ClassifierGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(c.bytes())).setTopK(topK)
                        .setLabelStyle(style).build());
    }

    private static JsonNode grpcError(Path image, String... options) throws Exception {
        String out = NodeClients.run(1, "classify.mjs", args(grpcTarget(), image, options));
        return JSON.readTree(out).get("error");
    }

    private static JsonNode sdkError(Path image, String... options) throws Exception {
        String out = NodeClients.run(1, "cloudflare-sdk.mjs", args(baseUrl(), image, options));
        JsonNode error = JSON.readTree(out).get("error");
        assertThat(error).as("SDK output: %s", out).isNotNull();
        return error;
    }

    /** The scripts' arguments: where Argus is, the image, options. */
    private static String[] args(String server, Path image, String... options) {
        return Stream.concat(Stream.of(server, image.toString()), Stream.of(options)).toArray(String[]::new);
    }

    private static HttpResponse<String> post(byte[] body, String contentType, String token)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/accounts/a/ai/run/@cf/microsoft/resnet-50"))
                        .header("Content-Type", contentType).header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String grpcTarget() {
        return "127.0.0.1:" + servers.grpc().orElseThrow().port();
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + servers.rest().orElseThrow().port() + "/client/v4";
    }
}
