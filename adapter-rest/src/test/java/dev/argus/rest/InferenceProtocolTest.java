package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.TestServer.CF_PATH;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.FloatTensor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InferenceProtocolTest {
    static TestServer s;
    static TestServer noTensors;

    @BeforeAll
    static void start() {
        // Fake tensor inference: one logit per class, the i-th = sum of image i's values.
        s = new TestServer(RestConfig.defaults(), (input, deadline) -> {
            float[] data = input.data();
            int n = input.batchSize();
            int per = input.rowLength();
            float[] logits = new float[n * 3];
            for (int i = 0; i < n; i++) {
                float sum = 0;
                for (int j = 0; j < per; j++) {
                    sum += data[i * per + j];
                }
                logits[i * 3] = sum;
            }
            return new FloatTensor(new long[] {n, 3}, logits);
        });
        noTensors = new TestServer();
    }

    @AfterAll
    static void stop() {
        s.close();
        noTensors.close();
    }

    @Test
    void describesTheServer() {
        HttpResponse<String> r = s.get("/v2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("name").asText()).isEqualTo("argus");
        assertThat(json(r).get("extensions").toString()).contains("\"classification\"").contains("\"statistics\"")
                .contains("\"binary_tensor_data\"").contains("\"model_repository\"");
    }

    @Test
    void isLiveAndReadyOnlyWhenTheAppSaysSo() {
        assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(s.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(s.get("/v2/models/test/fake-net/ready").statusCode()).isEqualTo(200);
        s.ready.set(false);
        try {
            assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
            assertThat(s.get("/v2/health/ready").statusCode()).isEqualTo(503);
            assertThat(json(s.get("/v2/health/ready")).get("ready").asBoolean()).isFalse();
            assertThat(s.get("/v2/models/fake-net/ready").statusCode()).isEqualTo(503);
        } finally {
            s.ready.set(true);
        }
    }

    @Test
    void findsTheModelByNameEncodedNameAliasAndVersion() {
        for (String path : new String[] {"/v2/models/test/fake-net", "/v2/models/test%2Ffake-net", "/v2/models/test%2ffake-net",
                "/v2/models/fake-net", "/v2/models/fake-net/versions/1"}) {
            HttpResponse<String> r = s.get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            JsonNode m = json(r);
            assertThat(m.get("name").asText()).isEqualTo(FakeUseCase.MODEL);
            assertThat(m.get("versions").get(0).asText()).isEqualTo("1");
            assertThat(m.get("platform").asText()).isEqualTo("argus-fake");
            assertThat(m.at("/inputs/0/datatype").asText()).isEqualTo("BYTES");
            // as Triton derives it from max_batch_size > 0 and dims [1]: perf_analyzer cannot send an empty shape
            assertThat(m.at("/inputs/0/shape").toString()).isEqualTo("[-1,1]");
            assertThat(m.at("/inputs/1/shape").toString()).isEqualTo("[-1,3,224,224]");
            assertThat(m.at("/outputs/1/shape").toString()).isEqualTo("[-1,1000]");
            assertThat(m.at("/parameters/preprocessing/resize").asText()).isEqualTo("short-side-then-center-crop");
            assertThat(m.at("/parameters/preprocessing/resize_short_side").asInt()).isEqualTo(256);
            assertThat(m.at("/parameters/preprocessing/resample").asText()).isEqualTo("bicubic");
            assertThat(m.at("/parameters/preprocessing/mean/0").floatValue()).isEqualTo(0.485f);
            assertThat(m.at("/parameters/preprocessing/std/2").floatValue()).isEqualTo(0.225f);
            assertThat(m.at("/parameters/preprocessing/width").asInt()).isEqualTo(224);
            assertThat(m.at("/parameters/preprocessing/height").asInt()).isEqualTo(224);
            assertThat(m.at("/parameters/preprocessing/scale").floatValue()).isEqualTo(1f / 255f);
            assertThat(m.at("/parameters/preprocessing/channel_order").asText()).isEqualTo("rgb");
            assertThat(m.at("/parameters/preprocessing/layout").asText()).isEqualTo("nchw");
        }
    }

    @Test
    void answersUnknownModelsAndVersionsWith404AndAnErrorObject() {
        HttpResponse<String> r = s.get("/v2/models/other-model");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).contains("other-model");
        assertThat(s.get("/v2/models/fake-net/versions/7").statusCode()).isEqualTo(404);
    }

    @Test
    void servesAMinimalModelConfig() {
        JsonNode c = json(s.get("/v2/models/fake-net/config"));
        assertThat(c.get("max_batch_size").asInt()).isEqualTo(32);
        assertThat(c.at("/input/0/data_type").asText()).isEqualTo("TYPE_STRING");
        assertThat(c.at("/input/1/name").asText()).isEqualTo("pixel_values");
        assertThat(c.at("/input/1/optional").asBoolean()).as("a request gives one input or the other").isTrue();
        assertThat(c.get("dynamic_batching")).as("perf_analyzer reads the scheduler from it").isNotNull();
    }

    @Test
    void servesTheStatisticsExtensionFromTheSchedulersNumbers() {
        InferenceStatistics stats = new InferenceStatistics(6, 2, 4, 600, 60, 6000, 6, new long[] {0, 3, 0, 0, 1}, 0);
        ModelCatalog catalog = ModelCatalog.of(new ServedModel(FakeUseCase.MODEL, "1", new FakeUseCase(), Optional.empty(),
                List.of(), true, () -> true, Optional.of(() -> stats)));
        try (RestServer server = new RestServer(RestConfig.defaults().withPort(0), catalog, () -> true,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), null).start()) {
            for (String path : new String[] {"/v2/models/stats", "/v2/models/fake-net/stats", "/v2/models/fake-net/versions/1/stats"}) {
                HttpResponse<String> r = s.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + path)).GET().build());
                assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
                JsonNode m = json(r).at("/model_stats/0");
                assertThat(json(r).get("model_stats")).hasSize(1);
                assertThat(m.get("name").asText()).isEqualTo(FakeUseCase.MODEL);
                assertThat(m.get("version").asText()).isEqualTo("1");
                assertThat(m.get("inference_count").asLong()).isEqualTo(6);
                assertThat(m.get("execution_count").asLong()).isEqualTo(4);
                assertThat(m.at("/inference_stats/success/count").asLong()).isEqualTo(6);
                assertThat(m.at("/inference_stats/success/ns").asLong()).as("queue + input + infer + output").isEqualTo(6666);
                assertThat(m.at("/inference_stats/fail/count").asLong()).isEqualTo(2);
                assertThat(m.at("/inference_stats/queue/ns").asLong()).isEqualTo(600);
                assertThat(m.at("/inference_stats/compute_input/ns").asLong()).isEqualTo(60);
                assertThat(m.at("/inference_stats/compute_infer/ns").asLong()).isEqualTo(6000);
                assertThat(m.at("/inference_stats/compute_output/ns").asLong()).isEqualTo(6);
                assertThat(m.get("batch_stats").toString()).contains("\"batch_size\":1").contains("\"batch_size\":4")
                        .doesNotContain("\"batch_size\":2");
            }
            HttpResponse<String> unknown = s.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/v2/models/nope/stats")).GET().build());
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void refusesACompressedBodyWith415NamingTheEncoding() {
        HttpResponse<String> r = s.send(s.request("/v2/models/fake-net/infer").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {31, -117, 8, 0}))
                .build());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("Content-Encoding 'gzip' is not supported");
        assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
    }

    @Test
    void classifiesBase64BytesIntoScoreIndexLabelStrings() {
        String b64 = Base64.getEncoder().encodeToString(PNG);
        String body = "{\"id\":\"req-1\",\"inputs\":[{\"name\":\"image\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\""
                + b64 + "\",\"" + b64 + "\"]}],\"outputs\":[{\"name\":\"classification\",\"parameters\":{\"classification\":3}}]}";
        HttpResponse<String> r = s.post("/v2/models/test%2Ffake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("model_name").asText()).isEqualTo(FakeUseCase.MODEL);
        assertThat(j.get("id").asText()).isEqualTo("req-1");
        JsonNode out = j.at("/outputs/0");
        assertThat(out.get("name").asText()).isEqualTo("classification");
        assertThat(out.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(out.get("data").get(0).asText()).isEqualTo("0.500000:7:PERSIAN CAT");
        assertThat(out.get("data")).hasSize(6);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void takesAPlainStringOfByteCharacters() {
        String plain = new String("BAD".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        String body = "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"content_type\":\"str\"},\"data\":[\"" + plain + "\"]}]}";
        HttpResponse<String> r = s.post("/v2/models/fake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("cannot be decoded");
    }

    @Test
    void readsTheBinaryTensorExtension() {
        String header = "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":"
                + (4 + PNG.length) + "}}]}";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(PNG.length).array());
        b.writeBytes(PNG);
        HttpResponse<String> r = s.send(s.request("/v2/models/fake-net/infer")
                .header("Inference-Header-Content-Length", Integer.toString(header.getBytes(StandardCharsets.UTF_8).length))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void answersWithBinaryTensorDataWhenAskedAsTritonClientHttpDoesByDefault() throws Exception {
        String b64 = java.util.Base64.getEncoder().encodeToString(PNG);
        String body = "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"" + b64 + "\"]}],"
                + "\"outputs\":[{\"name\":\"classification\",\"parameters\":{\"binary_data\":true,\"classification\":2}}]}";
        HttpResponse<byte[]> r = s.client.send(s.request("/v2/models/fake-net/infer").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        int headLength = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.util.Arrays.copyOf(r.body(), headLength));
        JsonNode out = head.at("/outputs/0");
        assertThat(out.has("data")).isFalse();
        assertThat(out.get("shape").toString()).isEqualTo("[1,2]");
        int size = out.at("/parameters/binary_data_size").asInt();
        assertThat(headLength + size).isEqualTo(r.body().length);
        // byte by byte: a 4-byte little-endian length, then the string, twice
        ByteBuffer tail = ByteBuffer.wrap(r.body(), headLength, size).order(ByteOrder.LITTLE_ENDIAN);
        List<String> strings = new java.util.ArrayList<>();
        while (tail.hasRemaining()) {
            byte[] e = new byte[tail.getInt()];
            tail.get(e);
            strings.add(new String(e, StandardCharsets.UTF_8));
        }
        assertThat(strings).hasSize(2).allMatch(x -> x.matches("\\d\\.\\d{6}:\\d+:.+"));

        // FP32 logits as little-endian floats, asked for the whole request
        String fp32 = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[2,1,2,2],"
                + "\"datatype\":\"FP32\",\"data\":[1,2,3,4,0.5,0.5,0,0]}]}";
        HttpResponse<byte[]> f = s.client.send(s.request("/v2/models/fake-net/infer").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(fp32)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(f.statusCode()).isEqualTo(200);
        int fHead = Integer.parseInt(f.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        assertThat(f.body().length - fHead).isEqualTo(6 * 4);
        ByteBuffer floats = ByteBuffer.wrap(f.body(), fHead, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(floats.getFloat()).isEqualTo(10.0f);
        floats.getFloat();
        floats.getFloat();
        assertThat(floats.getFloat()).isEqualTo(1.0f);
    }

    @Test
    void runsFp32TensorsThroughTheInferTensorUseCase() {
        String body = "{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[2,1,2,2],\"datatype\":\"FP32\",\"data\":[[[[1,2],[3,4]]],[[[0.5,0.5],[0,0]]]]}]}";
        HttpResponse<String> r = s.post("/v2/models/fake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = json(r).at("/outputs/0");
        assertThat(out.get("name").asText()).isEqualTo("logits");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[2,3]");
        assertThat(out.get("data").get(0).asDouble()).isEqualTo(10.0);
        assertThat(out.get("data").get(3).asDouble()).isEqualTo(1.0);
    }

    @Test
    void answersFp32With400WhenTensorInferenceIsNotWired() {
        String body = "{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}";
        HttpResponse<String> r = noTensors.post("/v2/models/fake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("accepts BYTES inputs only");
        assertThat(json(noTensors.get("/v2/models/fake-net")).get("inputs")).hasSize(1);
    }

    @Test
    void answersMalformedInferRequestsWith400AndAnErrorObject() {
        String[] bodies = {
            "not json",
            "{}",
            "{\"inputs\":[]}",
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"aGk=\"]}]}",
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"INT8\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[5]}]}",
            "{\"inputs\":[{\"name\":\"image\",\"shape\":[-1],\"datatype\":\"BYTES\",\"data\":[\"aGk=\"]}]}",
            "{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,\"x\"]}]}",
        };
        for (String body : bodies) {
            HttpResponse<String> r = s.post("/v2/models/fake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(body).isNotBlank();
        }
        assertThat(s.post("/v2/models/fake-net/infer", "application/json", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(s.post("/v2/models/fake-net/explain", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(404);
    }

    private static HttpResponse<String> infer(String body) {
        return s.post("/v2/models/fake-net/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesFp32ValuesThatAreNotFiniteNumbers() {
        for (String value : new String[] {"1e999", "-1e39", "3.5e38"}) {
            HttpResponse<String> r = infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"data\":[1," + value + "]}]}");
            assertThat(r.statusCode()).as(value + " -> " + r.body()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).contains("element 1").contains("finite");
        }
        java.nio.ByteBuffer nan = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(Float.NaN);
        String header = "{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}}]}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[h.length + 8];
        System.arraycopy(h, 0, body, 0, h.length);
        System.arraycopy(nan.array(), 0, body, h.length, 8);
        HttpResponse<String> r = s.send(s.request("/v2/models/fake-net/infer").header(InferRequest.HEADER_LENGTH, String.valueOf(h.length))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("NaN");
        assertThat(infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"data\":[1,3e38]}]}")
                .statusCode()).as("large but finite").isEqualTo(200);
    }

    @Test
    void refusesUnknownOutputsBatchesAboveMaxBatchSizeAndOverflowingShapes() {
        HttpResponse<String> unknown = infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"data\":[1,2]}],"
                + "\"outputs\":[{\"name\":\"embeddings\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("error").asText()).contains("Unknown output 'embeddings'");
        int max = RestConfig.defaults().maxImagesPerRequest();
        StringBuilder data = new StringBuilder();
        for (int i = 0; i <= max; i++) {
            data.append(i == 0 ? "" : ",").append(i);
        }
        HttpResponse<String> big = infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[" + (max + 1) + ",1,1,1],\"datatype\":\"FP32\",\"data\":["
                + data + "]}]}");
        assertThat(big.statusCode()).as(big.body()).isEqualTo(400);
        assertThat(json(big).get("error").asText()).contains("max_batch_size").contains(String.valueOf(max));
        HttpResponse<String> overflow = infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[4294967296,4294967296,1,1],\"datatype\":\"FP32\",\"data\":[1]}]}");
        assertThat(overflow.statusCode()).as(overflow.body()).isEqualTo(400);
        assertThat(infer("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,1,1,2],\"datatype\":\"FP32\",\"data\":[1,2]}],"
                + "\"outputs\":[{\"name\":\"logits\"}]}").statusCode()).isEqualTo(200);
    }
}
