package dev.argus.app.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.domain.LabelStyle;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST server over the real ONNX engine and the probe model: every input form, every designed image. */
class RestEndToEndIT {
    static final String CF = "/client/v4/accounts/test-account/ai/run/@cf/microsoft/resnet-50";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static ProbeRestServer s;
    static ProbeCase red;

    @BeforeAll
    static void start() {
        s = ProbeRestServer.probe();
        red = ProbeCase.all().stream().filter(c -> c.name().equals("red.png")).findFirst().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (s != null) {
            s.close();
        }
    }

    static Stream<ProbeCase> probeCases() {
        return ProbeCase.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeCases")
    void everyProbeImageGetsItsDesignedLabelOnTheCloudflareRoute(ProbeCase c) throws Exception {
        HttpResponse<String> r = post(CF, null, c.bytes());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode env = JSON.readTree(r.body());
        assertThat(env.get("success").asBoolean()).isTrue();
        assertThat(env.get("result")).hasSize(5);
        assertThat(env.at("/result/0/label").asText()).as(c.why()).isEqualTo(LabelStyle.CLOUDFLARE.apply(c.expectedLabel()));
    }

    @Test
    void classifiesTheCurlDataBinaryForm() throws Exception {
        HttpResponse<String> r = post(CF, "application/x-www-form-urlencoded", red.bytes()); // what curl --data-binary sends
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(topLabel(r.body())).isEqualTo("FIRE ENGINE");
    }

    @Test
    void classifiesWithTheRealCurlWhenItIsInstalled() throws Exception {
        Path curl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "curl")).filter(Files::isExecutable).findFirst().orElse(null);
        if (curl == null) {
            System.out.println("SKIPPED classifiesWithTheRealCurlWhenItIsInstalled: no curl on PATH");
            org.junit.jupiter.api.Assumptions.abort("no curl on PATH");
        }
        Process p = new ProcessBuilder(curl.toString(), "-sS", "--max-time", "20", s.uri(CF).toString(),
                "-H", "Authorization: Bearer unused", "--data-binary", "@" + red.file().toAbsolutePath())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("{\"result\":[{\"label\":\"FIRE ENGINE\",\"score\":")
                .endsWith("],\"success\":true,\"errors\":[],\"messages\":[]}");
    }

    @Test
    void classifiesTheWorkerStyleJsonNumberArray() throws Exception {
        StringBuilder json = new StringBuilder("{\"image\":[");
        byte[] bytes = red.bytes();
        for (int i = 0; i < bytes.length; i++) {
            json.append(i == 0 ? "" : ",").append(bytes[i] & 0xff);
        }
        json.append("]}");
        HttpResponse<String> r = post(CF, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(topLabel(r.body())).isEqualTo("FIRE ENGINE");
    }

    @Test
    void classifiesEveryFileOfAMultipartUploadOnV1() throws Exception {
        List<ProbeCase> cases = ProbeCase.all().subList(0, 3);
        String boundary = "argus-it-boundary";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (ProbeCase c : cases) {
            b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + c.name()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(c.bytes());
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/v1/classify?top_k=3&label_style=imagenet", "multipart/form-data; boundary=" + boundary,
                b.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = JSON.readTree(r.body()).at("/result/items");
        assertThat(items).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(items.get(i).get("name").asText()).isEqualTo(cases.get(i).name());
            assertThat(items.get(i).at("/predictions/0/label").asText()).isEqualTo(cases.get(i).expectedLabel());
            assertThat(items.get(i).at("/predictions/0/class_index").asInt()).isEqualTo(cases.get(i).expectedClass());
            assertThat(items.get(i).get("predictions")).hasSize(3);
            assertThat(items.get(i).get("backend").asText()).isEqualTo("onnx");
            assertThat(items.get(i).get("model").asText()).isEqualTo("argus/probe");
        }
    }

    @Test
    void classifiesBase64BytesThroughTheInferenceProtocol() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"image\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\""
                + Base64.getEncoder().encodeToString(red.bytes()) + "\"]}]}";
        HttpResponse<String> r = post("/v2/models/argus%2Fprobe/infer", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/outputs/0/data/0").asText()).matches("0\\.\\d{6}:555:FIRE ENGINE");
    }

    @Test
    void refusesAnImageAboveTenMebibytesWith413And3006AndKeepsServing() throws Exception {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        new Random(1).nextBytes(big);
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        HttpResponse<String> r = post(CF, "image/jpeg", big);
        assertThat(r.statusCode()).isEqualTo(413);
        JsonNode env = JSON.readTree(r.body());
        assertThat(env.get("success").asBoolean()).isFalse();
        assertThat(env.at("/errors/0/code").asInt()).isEqualTo(3006);
        assertThat(topLabel(post(CF, null, red.bytes()).body())).isEqualTo("FIRE ENGINE");
    }

    @Test
    void refusesBadImagesWith400And5006() throws Exception {
        for (byte[] bad : List.of(TestImages.textFile(), TestImages.truncatedJpeg(), TestImages.pngHeaderOnly(100_000, 100_000))) {
            HttpResponse<String> r = post(CF, null, bad);
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(JSON.readTree(r.body()).at("/errors/0/code").asInt()).isIn(5006, 3006);
        }
    }

    static String topLabel(String body) throws IOException {
        return JSON.readTree(body).at("/result/0/label").asText();
    }

    static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
