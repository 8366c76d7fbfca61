package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python client (clients/python/classify.py, stubs generated at run time from proto/argus/v1/argus.proto) gets the
 * same answer as the Java client from the real server. Needs Debian's python3-grpcio and python3-grpc-tools; skipped
 * with the reason printed when they are missing.
 */
class PythonClientIT {
    private static final String PYTHON = PythonGrpc.PYTHON;

    @Test
    void pythonClientAgreesWithTheJavaClient() throws Exception {
        PythonGrpc.assumeAvailable("PythonClientIT");
        Path script = RepoPaths.root().resolve("clients/python/classify.py");
        ObjectMapper json = new ObjectMapper();
        try (ProbeServer probe = ProbeServer.probe()) {
            ManagedChannel channel = Grpc.newChannelBuilder(probe.target(), InsecureChannelCredentials.create()).build();
            try {
                for (ProbeCase c : List.of(ProbeCase.all().get(0), ProbeCase.all().get(ProbeCase.all().size() - 1))) {
                    ClassifyResponse java = ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(c.bytes())).setTopK(5).build());
                    String out = PythonGrpc.run(0, PYTHON, script.toString(), probe.target(), c.file().toString(), "--top-k", "5");
                    JsonNode py = json.readTree(out);
                    JsonNode result = py.get("result");
                    assertThat(result).as("python output: %s", out).isNotNull();
                    assertThat(result.size()).isEqualTo(java.getClassificationsCount());
                    for (int i = 0; i < result.size(); i++) {
                        assertThat(result.get(i).get("label").asText()).isEqualTo(java.getClassifications(i).getLabel());
                        assertThat(result.get(i).get("class_index").asInt()).isEqualTo(java.getClassifications(i).getClassIndex());
                        assertThat(result.get(i).get("score").asDouble()).isEqualTo(java.getClassifications(i).getScore());
                    }
                    assertThat(py.get("model").asText()).isEqualTo(java.getModel());
                    assertThat(py.get("backend").asText()).isEqualTo(java.getBackend());
                    assertThat(result.get(0).get("class_index").asInt()).isEqualTo(c.expectedClass());
                }
                // Errors come back as JSON too, with exit status 1.
                Path text = Files.createTempFile("argus-not-an-image", ".txt");
                Files.writeString(text, "hello");
                String err = PythonGrpc.run(1, PYTHON, script.toString(), probe.target(), text.toString());
                assertThat(json.readTree(err).get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");
                Files.deleteIfExists(text);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The acceptance check of the gRPC issue: the non-Java client's answer equals the REST (Cloudflare route) answer. */
    @Test
    void pythonGrpcClientAgreesWithTheCloudflareRestRoute() throws Exception {
        PythonGrpc.assumeAvailable("PythonClientIT");
        dev.argus.app.config.Settings s = dev.argus.app.TestConfigs.probeSettings();
        ObjectMapper json = new ObjectMapper();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (dev.argus.app.serve.Servers servers = dev.argus.app.serve.Servers.start(
                dev.argus.app.config.ArgusConfig.from(s, java.util.Map.of()), dev.argus.app.config.ServingConfig.from(s),
                dev.argus.ports.out.ModelSource.ProgressListener.NONE)) {
            String target = "127.0.0.1:" + servers.grpc().orElseThrow().port();
            for (ProbeCase c : ProbeCase.all()) {
                JsonNode py = json.readTree(PythonGrpc.run(0, PYTHON, RepoPaths.root().resolve("clients/python/classify.py").toString(), target,
                        c.file().toString())).get("result");
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                + servers.rest().orElseThrow().port() + "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(c.bytes())).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                JsonNode rest = json.readTree(response.body()).get("result");
                assertThat(py.size()).as(c.name()).isEqualTo(rest.size());
                for (int i = 0; i < rest.size(); i++) {
                    assertThat(py.get(i).get("label").asText()).as(c.name()).isEqualTo(rest.get(i).get("label").asText());
                    assertThat(py.get(i).get("score").asDouble()).as(c.name()).isEqualTo(rest.get(i).get("score").asDouble());
                }
            }
        }
    }
}
