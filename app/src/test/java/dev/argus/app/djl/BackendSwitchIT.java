package dev.argus.app.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.cli.Main;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestImages;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching {@code argus.backend} between onnx, djl-pytorch and djl-tensorflow with the matching file of the same
 * generated ResNet-50 gives the same top-5 and the same scores to 4 decimals, on the shared photos (when present) and
 * the probe images, through the CLI.
 */
class BackendSwitchIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Map<String, JsonNode> classify(Path dir, String backend, Path model) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"classify", "-q", "--no-progress", "--label-style", "imagenet", "--backend", backend,
                "--model", model.toString(), dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        assertThat(exit).as(backend + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        Map<String, JsonNode> byFile = new LinkedHashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode n = JSON.readTree(line);
                byFile.put(Path.of(n.get("file").asText()).getFileName().toString(), n.get("result"));
            }
        }
        return byFile;
    }

    /** The same files through a running server's Cloudflare route, Cloudflare-style labels. */
    private Map<String, JsonNode> serve(Path dir, String backend, Path model) throws Exception {
        var settings = dev.argus.app.TestConfigs.settings(backend, model, "microsoft/resnet-50")
                .set(dev.argus.app.config.Key.GRPC_ENABLED, "false", "test")
                .set(dev.argus.app.config.Key.SERVER_WARMUP_ROUNDS, "1", "test");
        Map<String, JsonNode> byFile = new LinkedHashMap<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (var servers = dev.argus.app.serve.Servers.start(dev.argus.app.config.ArgusConfig.from(settings, Map.of()),
                dev.argus.app.config.ServingConfig.from(settings), dev.argus.ports.out.ModelSource.ProgressListener.NONE);
             var files = Files.list(dir)) {
            String url = "http://127.0.0.1:" + servers.rest().orElseThrow().port() + "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50";
            for (Path f : files.sorted().toList()) {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(f)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(backend + " " + f + " " + response.body()).isEqualTo(200);
                byFile.put(f.getFileName().toString(), JSON.readTree(response.body()).get("result"));
            }
        }
        return byFile;
    }

    private static void assertSameAnswers(String what, Map<String, JsonNode> expected, Map<String, JsonNode> actual) {
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        for (String file : expected.keySet()) {
            assertSameTopFive(what + " " + file, expected.get(file), actual.get(file));
        }
    }

    /** Largest |logit difference| between two float32 engines on these images (the engine contract's bound). */
    private static final double LOGIT_TOLERANCE = 1e-4;
    /** Scores agree to 4 decimals: 5e-5 after rounding. */
    private static final double SCORE_TOLERANCE = 5e-5;

    /**
     * How far a score may move when every logit moves by at most {@link #LOGIT_TOLERANCE}: softmax gives
     * |dp_i| <= 2 p_i max|dz|, so a confident class (p above 0.25) may move by more than 4 decimals allow.
     */
    private static double scoreBound(double p) {
        return Math.max(SCORE_TOLERANCE, 2 * p * LOGIT_TOLERANCE);
    }

    /**
     * Same top-5 with the same scores, except that classes whose scores are within what the engines' rounding can
     * move may come in either order (which near ties exist, and how they break, differs between CPUs).
     */
    private static void assertSameTopFive(String what, JsonNode expected, JsonNode actual) {
        assertThat(actual).as(what).hasSize(5);
        Map<String, Double> want = new LinkedHashMap<>();
        expected.forEach(c -> want.put(c.get("label").asText(), c.get("score").asDouble()));
        for (int i = 0; i < 5; i++) {
            String label = actual.get(i).get("label").asText();
            double score = actual.get(i).get("score").asDouble();
            String wantLabel = expected.get(i).get("label").asText();
            double wantScore = expected.get(i).get("score").asDouble();
            if (label.equals(wantLabel)) {
                assertThat(score).as(what + " #" + i + " " + label).isCloseTo(wantScore, within(scoreBound(wantScore)));
                continue;
            }
            // another class at this rank: only a near tie with the expected one may do that
            double other = want.getOrDefault(label, score); // from below the top 5: its own score
            assertThat(Math.abs(other - wantScore)).as(what + " #" + i + ": " + label + " instead of " + wantLabel
                    + " (" + other + " vs " + wantScore + "), not a near tie").isLessThanOrEqualTo(2 * scoreBound(wantScore));
            if (want.containsKey(label)) {
                assertThat(score).as(what + " " + label).isCloseTo(other, within(scoreBound(other)));
            }
        }
    }

    @Test
    void everyBackendGivesTheSameAnswersThroughTheServer() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("served"));
        for (Path p : TestImages.sharedPhotos()) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        for (ProbeCase c : ProbeCase.all().subList(0, 3)) {
            Files.copy(c.file(), dir.resolve(c.name()));
        }
        Map<String, JsonNode> onnx = serve(dir, "onnx", TestModels.resnet50Onnx());
        assertSameAnswers("djl-pytorch over REST", onnx, serve(dir, "djl-pytorch", TestModels.resnet50TorchScript()));
        assertSameAnswers("djl-tensorflow over REST", onnx, serve(dir, "djl-tensorflow", TestModels.require("resnet50-savedmodel")));
    }

    @Test
    void everyBackendGivesTheSameTopFiveAndScoresToFourDecimals() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("images"));
        List<Path> photos = TestImages.sharedPhotos();
        for (Path p : photos) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        for (ProbeCase c : ProbeCase.all()) {
            Files.copy(c.file(), dir.resolve(c.name()));
        }
        System.out.println("BackendSwitchIT: " + photos.size() + " shared photos, " + ProbeCase.all().size() + " probe images");
        Map<String, JsonNode> onnx = classify(dir, "onnx", TestModels.resnet50Onnx());
        Map<String, JsonNode> torch = classify(dir, "djl-pytorch", TestModels.resnet50TorchScript());
        Map<String, JsonNode> tf = classify(dir, "djl-tensorflow", TestModels.require("resnet50-savedmodel"));
        assertThat(onnx).hasSize(photos.size() + ProbeCase.all().size());
        for (var other : Map.of("djl-pytorch", torch, "djl-tensorflow", tf).entrySet()) {
            assertThat(other.getValue().keySet()).isEqualTo(onnx.keySet());
            for (String file : onnx.keySet()) {
                assertSameTopFive(other.getKey() + " " + file, onnx.get(file), other.getValue().get(file));
            }
        }
    }
}
