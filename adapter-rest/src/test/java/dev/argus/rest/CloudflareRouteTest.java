package dev.argus.rest;

import static dev.argus.rest.TestServer.CF_PATH;
import static dev.argus.rest.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CloudflareRouteTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void answersARawBodyInCloudflaresExactEnvelope() {
        HttpResponse<String> r = s.post(CF_PATH, "application/octet-stream", PNG);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(r.body()).startsWith("{\"result\":[{\"label\":\"PERSIAN CAT\",\"score\":0.5},{\"label\":\"PEKINESE\",\"score\":0.25},")
                .endsWith("],\"success\":true,\"errors\":[],\"messages\":[]}");
        assertThat(json(r).get("result")).hasSize(5);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void acceptsRawBodiesWithAnImageContentTypeOrNone() {
        assertThat(s.post(CF_PATH, "image/png", PNG).statusCode()).isEqualTo(200);
        assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void acceptsWorkerStyleJsonNumberArrays() {
        byte[] body = "{\"image\":[137,80,78,71,13,10,26,10,1,2,3]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = s.post(CF_PATH, "application/json", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void detectsJsonByItsOpeningBraceWithoutAContentType() {
        byte[] body = "  {\"image\":[137,80,78,71,13,10,26,10,1,2,3]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = s.post(CF_PATH, "application/octet-stream", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(s.useCase.lastBytes).isEqualTo(PNG);
    }

    @Test
    void ignoresOptionsItsCloudflareContractDoesNotHave() {
        byte[] body = "{\"image\":[137,80,78,71],\"top_k\":2,\"extra\":{\"a\":[1]}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = s.post(CF_PATH + "?top_k=3", "application/json", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result")).hasSize(5);
    }

    @Test
    void refusesAnUndecodableImageWith400And5006() {
        assertError(s.post(CF_PATH, "image/jpeg", "BAD image".getBytes(StandardCharsets.UTF_8)), 400, 5006);
    }

    @Test
    void refusesBadJsonWith400And5006NamingTheProblem() {
        assertError(s.post(CF_PATH, "application/json", "{\"image\": [1, 2".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post(CF_PATH, "application/json", "{\"picture\": [1]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post(CF_PATH, "application/json", "{\"image\": \"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertError(s.post(CF_PATH, "application/json", "[1,2,3]".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        JsonNode e = assertError(s.post(CF_PATH, "application/json", "{\"image\": [137, 256]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertThat(e.path("message").asText()).contains("image[1] = 256 is above 255");
        e = assertError(s.post(CF_PATH, "application/json", "{\"image\": [1.5]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertThat(e.path("message").asText()).contains("not an integer");
        e = assertError(s.post(CF_PATH, "application/json", "{\"image\": [1e400]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertThat(e.path("message").asText()).contains("image[0] = 1e400 is beyond any number a double can hold");
        e = assertError(s.post(CF_PATH, "application/json", "{\"image\": [-1]}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
        assertThat(e.path("message").asText()).contains("negative");
        assertError(s.post(CF_PATH, "application/json", "{\"image\": []}".getBytes(StandardCharsets.UTF_8)), 400, 5006);
    }

    @Test
    void answersAMissingBodyWith400And3003() {
        assertError(s.post(CF_PATH, "image/png", new byte[0]), 400, 3003);
    }

    @Test
    void acceptsAPercentEncodedModelId() {
        assertThat(s.post("/client/v4/accounts/acc123/ai/run/%40cf%2Fmicrosoft%2Fresnet-50", null, PNG).statusCode()).isEqualTo(200);
    }

    @Test
    void answersAnotherCloudflareModelWith400And5007() {
        JsonNode e = assertError(s.post("/client/v4/accounts/a/ai/run/@cf/meta/llama-3-8b-instruct", null, PNG), 400, 5007);
        assertThat(e.path("message").asText()).contains("@cf/microsoft/resnet-50");
    }

    @Test
    void answersSomethingThatIsNotAModelIdWith404And3042() {
        assertError(s.post("/client/v4/accounts/a/ai/run/resnet-50", null, PNG), 404, 3042);
    }

    @Test
    void answersAnImageAboveTheDomainLimitWith413And3006() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        assertError(s.post(CF_PATH, "image/jpeg", big), 413, 3006);
    }

    @Test
    void answersAnUnexpectedBackendBugWith500And3043AndKeepsServing() {
        assertError(s.post(CF_PATH, null, "BOOM".getBytes(StandardCharsets.UTF_8)), 500, 3043);
        assertThat(s.post(CF_PATH, null, PNG).statusCode()).isEqualTo(200);
    }

    @Test
    void answersAModelFailureWith503And5007() {
        assertError(s.post(CF_PATH, null, "UNAVAILABLE".getBytes(StandardCharsets.UTF_8)), 503, 5007);
    }

    @Test
    void answersUnknownRoutesWith404InTheEnvelope() {
        assertError(s.get("/nothing/here"), 404, 3042);
        assertError(s.send(s.request(CF_PATH).GET().build()), 405, 10405); // a route's path, another method
    }

    static JsonNode assertError(HttpResponse<String> r, int status, int code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode env = json(r);
        assertThat(env.fieldNames()).toIterable().containsExactly("result", "success", "errors", "messages");
        assertThat(env.get("result").isNull()).isTrue();
        assertThat(env.get("success").asBoolean()).isFalse();
        assertThat(env.get("errors")).hasSize(1);
        assertThat(env.get("errors").get(0).get("code").asInt()).isEqualTo(code);
        assertThat(env.get("errors").get(0).get("message").asText()).isNotBlank();
        return env.get("errors").get(0);
    }
}
