package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Triton's and KServe's gRPC protocol ({@code inference.GRPCInferenceService}) driven from another process: a Python
 * script (clients/python/oip_check.py) with stubs generated at run time from proto/inference/*.proto calls every RPC
 * against the real server; its answers are checked here against {@code /v1} and the engine on the same inputs.
 */
class InferenceProtocolGrpcIT {
    private static final String PYTHON = PythonGrpc.PYTHON;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyRpcFromAPythonClientAnswersAsV1AndTheEngineDo() throws Exception {
        PythonGrpc.assumeAvailable("InferenceProtocolGrpcIT");
        ProbeCase probe = ProbeCase.all().get(0);
        Path big = tmp.resolve("big.png");
        Files.write(big, TestImages.noise(1800, 1900, 11, "png")); // just under the 10 MiB image limit
        Settings s = TestConfigs.probeSettings();
        try (Servers servers = Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            String target = "127.0.0.1:" + servers.grpc().orElseThrow().port();
            JsonNode r = JSON.readTree(PythonGrpc.run(0, PYTHON, RepoPaths.root().resolve("clients/python/oip_check.py").toString(), target,
                    "argus/probe", probe.file().toString(), big.toString()));

            assertThat(r.get("live").asBoolean()).isTrue();
            assertThat(r.get("ready").asBoolean()).isTrue();
            assertThat(r.get("model_ready").asBoolean()).isTrue();
            assertThat(r.at("/server/extensions").toString()).contains("\"classification\"").contains("\"statistics\"");
            assertThat(r.at("/metadata/inputs").toString()).isEqualTo("[[\"image\",\"BYTES\",[-1,1]],[\"pixel_values\",\"FP32\",[-1,3,224,224]]]");
            assertThat(r.at("/metadata/outputs").toString()).isEqualTo("[[\"classification\",\"BYTES\",[-1,-1]],[\"logits\",\"FP32\",[-1,1000]]]");
            assertThat(r.at("/metadata/versions").toString()).isEqualTo("[\"1\"]");
            assertThat(r.at("/config/max_batch_size").asInt()).isEqualTo(256);
            assertThat(r.at("/config/dynamic_batching").asBoolean()).isTrue();
            assertThat(r.at("/config/inputs").toString()).isEqualTo("[[\"image\",13,[1]],[\"pixel_values\",11,[3,224,224]]]");

            // the BYTES answer is /v1's: score (6 decimals), index and label of each of the top 3
            HttpResponse<String> v1 = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + servers.rest().orElseThrow().port() + "/v1/classify?top_k=3&label_style=imagenet"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(probe.bytes())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode predictions = JSON.readTree(v1.body()).at("/result/predictions");
            JsonNode strings = r.at("/infer_raw/strings");
            assertThat(strings.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                JsonNode p = predictions.get(i);
                assertThat(strings.get(i).asText()).isEqualTo(String.format(Locale.ROOT, "%.6f:%d:%s", p.get("score").asDouble(),
                        p.get("class_index").asInt(), p.get("label").asText()));
            }
            assertThat(r.at("/infer_raw/output").toString()).isEqualTo("[\"classification\",\"BYTES\",[1,3]]");
            // perf_analyzer's request, from clients/python/perf_analyzer_input.py's JSON: the same answer
            assertThat(r.at("/infer_perf_analyzer/strings")).isEqualTo(strings);
            assertThat(r.at("/infer_perf_analyzer/shape").toString()).isEqualTo("[1,3]");
            assertThat(r.at("/infer_raw/id").asText()).isEqualTo("req-1");
            assertThat(r.at("/infer_raw/version").asText()).isEqualTo("1");
            // the wire format, byte by byte: a 4-byte little-endian length, then the UTF-8 string
            byte[] first = strings.get(0).asText().getBytes(StandardCharsets.UTF_8);
            String head = String.format("%02x%02x%02x%02x", first.length & 0xff, (first.length >> 8) & 0xff, 0, 0)
                    + String.format("%02x%02x%02x%02x%02x%02x%02x%02x", first[0], first[1], first[2], first[3], first[4], first[5],
                    first[6], first[7]);
            assertThat(r.at("/infer_raw/raw_hex_head").asText()).isEqualTo(head);
            assertThat(r.at("/infer_typed_batch/shape").toString()).isEqualTo("[2,5]");
            assertThat(r.at("/infer_typed_batch/strings/0").asText()).isEqualTo(r.at("/infer_typed_batch/strings/5").asText());

            // FP32: the engine's logits for the same tensor, raw and typed alike
            float[] values = new float[3 * 224 * 224];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (((i * 7919L) % 1000) / 500.0 - 1.0);
            }
            FloatTensor logits = servers.catalog().defaultModel().orElseThrow().tensors().orElseThrow()
                    .infer(new FloatTensor(new long[] {1, 3, 224, 224}, values));
            int argmax = 0;
            for (int i = 1; i < logits.data().length; i++) {
                if (logits.data()[i] > logits.data()[argmax]) {
                    argmax = i;
                }
            }
            assertThat(r.at("/fp32/output").toString()).isEqualTo("[\"logits\",\"FP32\",[1,1000]]");
            assertThat(r.at("/fp32/typed_equals_raw").asBoolean()).isTrue();
            assertThat(r.at("/fp32/argmax").asInt()).isEqualTo(argmax);
            for (int i = 0; i < 5; i++) {
                assertThat(r.at("/fp32/first/" + i).floatValue()).isEqualTo(logits.data()[i]);
            }
            assertThat(r.at("/fp32_classification/datatype").asText()).isEqualTo("BYTES");
            assertThat(r.at("/fp32_classification/shape").toString()).isEqualTo("[1,2]");
            assertThat(r.at("/fp32_classification/strings/0").asText()).isEqualTo(String.format(Locale.ROOT, "%.6f:%d:%s",
                    logits.data()[argmax], argmax, dev.argus.domain.LabelSet.imagenet1k().label(argmax, dev.argus.domain.LabelStyle.CLOUDFLARE)));

            // streaming: a bad request in the middle is answered with its error; the stream goes on
            JsonNode stream = r.get("stream");
            assertThat(stream.size()).isEqualTo(3);
            assertThat(stream.get(0).get("error").asText()).isEmpty();
            assertThat(stream.get(1).get("error").asText()).isNotEmpty();
            assertThat(stream.get(2).get("strings").get(0).asText()).isEqualTo(stream.get(0).get("strings").get(0).asText());

            // errors: statuses naming what was wrong, never INTERNAL
            assertThat(r.at("/errors/unknown_model").asText()).startsWith("NOT_FOUND").contains("nope");
            assertThat(r.at("/errors/bad_datatype").asText()).startsWith("INVALID_ARGUMENT").contains("INT8");
            assertThat(r.at("/errors/raw_shorter_than_shape").asText()).startsWith("INVALID_ARGUMENT").contains("raw_input_contents[0]");
            assertThat(r.at("/errors/fp32_wrong_size").asText()).startsWith("INVALID_ARGUMENT").contains("12 bytes");
            assertThat(r.at("/errors/not_an_image").asText()).startsWith("INVALID_ARGUMENT");

            // statistics as perf_analyzer reads them; the index; a 10 MiB image
            assertThat(r.at("/statistics/version").asText()).isEqualTo("1");
            assertThat(r.at("/statistics/queue_count").asLong()).isGreaterThanOrEqualTo(5);
            JsonNode compute = r.at("/statistics/compute_counts");
            assertThat(compute.get(0).asLong()).isEqualTo(compute.get(1).asLong()).isEqualTo(compute.get(2).asLong());
            assertThat(r.at("/index").toString()).isEqualTo("[[\"argus/probe\",\"1\",\"READY\"]]");
            assertThat(r.at("/big/bytes").asLong()).isGreaterThan(10_000_000L);
            assertThat(r.at("/big/strings").size()).isEqualTo(1);
        }
    }
}
