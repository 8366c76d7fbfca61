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
                JsonNode expected = onnx.get(file);
                JsonNode actual = other.getValue().get(file);
                assertThat(actual).as(other.getKey() + " " + file).hasSize(5);
                for (int i = 0; i < 5; i++) {
                    assertThat(actual.get(i).get("label").asText()).as(other.getKey() + " " + file + " #" + i)
                            .isEqualTo(expected.get(i).get("label").asText());
                    assertThat(actual.get(i).get("score").asDouble()).as(other.getKey() + " " + file + " #" + i)
                            .isCloseTo(expected.get(i).get("score").asDouble(), within(5e-5));
                }
            }
        }
    }
}
