package dev.argus.rest;

import static dev.argus.rest.CloudflareRouteTest.PNG;
import static dev.argus.rest.CloudflareRouteTest.assertError;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.domain.LabelStyle;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClassifyRouteTest {
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(RestConfig.defaults().withMaxImagesPerRequest(4));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void classifiesARawBodyWithIndicesBackendModelAndTimings() {
        HttpResponse<String> r = s.post("/v1/classify", "image/png", PNG);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode env = json(r);
        assertThat(env.fieldNames()).toIterable().containsExactly("result", "success", "errors", "messages");
        JsonNode result = env.get("result");
        assertThat(result.get("predictions")).hasSize(5);
        assertThat(result.get("predictions").get(0).get("label").asText()).isEqualTo("PERSIAN CAT");
        assertThat(result.get("predictions").get(0).get("score").asDouble()).isEqualTo(0.5);
        assertThat(result.get("predictions").get(0).get("class_index").asInt()).isEqualTo(7);
        assertThat(result.get("backend").asText()).isEqualTo("fake");
        assertThat(result.get("model").asText()).isEqualTo(FakeUseCase.MODEL);
        assertThat(result.get("timings_ms").get("inference").asDouble()).isEqualTo(2.0);
        assertThat(result.get("timings_ms").get("total").asDouble()).isEqualTo(3.5);
    }

    @Test
    void takesTopKAndLabelStyleFromTheQuery() {
        HttpResponse<String> r = s.post("/v1/classify?top_k=2&label_style=imagenet", null, PNG);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).at("/result/predictions")).hasSize(2);
        assertThat(json(r).at("/result/predictions/1/label").asText()).isEqualTo("Pekinese, Pekingese, Peke");
        assertThat(s.useCase.lastOptions.labelStyle()).isEqualTo(LabelStyle.IMAGENET);
    }

    @Test
    void takesABase64ImageAndOptionsFromJson() {
        String body = "{\"image\":\"" + Base64.getEncoder().encodeToString(PNG) + "\",\"top_k\":3,\"label_style\":\"cloudflare\"}";
        HttpResponse<String> r = s.post("/v1/classify?top_k=9", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).at("/result/predictions")).hasSize(3);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void takesADataUrlAndANumberArray() {
        String dataUrl = "{\"image\":\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG) + "\"}";
        assertThat(s.post("/v1/classify", "application/json", dataUrl.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
        assertThat(s.post("/v1/classify", null, "{\"image\":[137,80,78,71,13,10,26,10,1,2,3]}".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void classifiesAJsonBatchWhereABadImageFailsAlone() {
        String good = Base64.getEncoder().encodeToString(PNG);
        String bad = Base64.getEncoder().encodeToString("BAD".getBytes(StandardCharsets.UTF_8));
        String body = "{\"images\":[\"" + good + "\",\"" + bad + "\",[137,80,78,71]],\"top_k\":1}";
        HttpResponse<String> r = s.post("/v1/classify", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = json(r).at("/result/items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("predictions")).hasSize(1);
        assertThat(items.get(1).at("/error/code").asInt()).isEqualTo(5006);
        assertThat(items.get(1).get("name").asText()).isEqualTo("images[1]");
        assertThat(items.get(2).get("index").asInt()).isEqualTo(2);
        assertThat(s.useCase.lastBatchSize).isEqualTo(3);
    }

    @Test
    void classifiesEveryFileOfAMultipartUpload() {
        String boundary = "----argus-test-boundary";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        part(b, boundary, "file", "cat.png", PNG);
        part(b, boundary, "file", "dog.png", PNG);
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"top_k\"\r\n\r\n2\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = s.post("/v1/classify", "multipart/form-data; boundary=" + boundary, b.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = json(r).at("/result/items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("name").asText()).isEqualTo("cat.png");
        assertThat(items.get(1).get("name").asText()).isEqualTo("dog.png");
        assertThat(items.get(1).get("predictions")).hasSize(2);
    }

    @Test
    void refusesBatchesAboveTheImageLimit() {
        String img = "\"" + Base64.getEncoder().encodeToString(PNG) + "\"";
        String body = "{\"images\":[" + String.join(",", img, img, img, img, img) + "]}";
        assertError(s.post("/v1/classify", "application/json", body.getBytes(StandardCharsets.UTF_8)), 400, 5006);
    }

    @Test
    void refusesBadOptionsWith400And5006() {
        assertError(s.post("/v1/classify?top_k=zero", null, PNG), 400, 5006);
        assertError(s.post("/v1/classify?top_k=0", null, PNG), 400, 5006);
        assertError(s.post("/v1/classify?top_k=1001", null, PNG), 400, 5006);
        assertError(s.post("/v1/classify?label_style=fancy", null, PNG), 400, 5006);
        assertError(s.post("/v1/classify", "application/json", "{\"image\":\"!!notbase64!!\"}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post("/v1/classify", "application/json", "{\"images\":[]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post("/v1/classify", "application/json", "{\"image\":true}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post("/v1/classify", "multipart/form-data; boundary=x", "garbage".getBytes(StandardCharsets.UTF_8)), 400, 5006);
    }

    @Test
    void answersAnEmptyBodyWith400And3003() {
        assertError(s.post("/v1/classify", null, new byte[0]), 400, 3003);
    }

    private static void part(ByteArrayOutputStream b, String boundary, String field, String filename, byte[] content) {
        b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theModelCanBeNamedInThePathByNameAliasAndVersion() {
        for (String path : new String[] {"/v1/models/test/fake-net/classify", "/v1/models/test%2Ffake-net/classify",
                "/v1/models/FAKE-NET/classify", "/v1/models/fake-net/versions/1/classify"}) {
            HttpResponse<String> r = s.post(path + "?top_k=2", "image/png", PNG);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            assertThat(json(r).at("/result/predictions")).hasSize(2);
            assertThat(json(r).at("/result/model").asText()).isEqualTo(FakeUseCase.MODEL);
        }
        JsonNode other = CloudflareRouteTest.assertError(s.post("/v1/models/other-net/classify", "image/png", PNG), 404, 3042);
        assertThat(other.get("message").asText()).contains("other-net").contains(FakeUseCase.MODEL);
        assertThat(CloudflareRouteTest.assertError(s.post("/v1/models/fake-net/versions/2/classify", "image/png", PNG), 404, 3042)
                .get("message").asText()).contains("version '2'");
        CloudflareRouteTest.assertError(s.post("/v1/models/fake-net/infer", "image/png", PNG), 404, 3042);
    }
}
