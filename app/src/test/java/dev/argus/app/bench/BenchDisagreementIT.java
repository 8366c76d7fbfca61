package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argus bench} flags a backend that runs the same weights but answers differently: the probe model twice
 * through onnx, once with a BGR pipeline (the colour-order bug the probe is designed to catch). The reports mark it and
 * the exit code is {@link ExitCodes#DISAGREEMENT}, after the reports are written.
 */
class BenchDisagreementIT {
    private static final String SKEWED = "onnx:bgr{ARGUS_MODEL_CHANNEL_ORDER=bgr}";

    @TempDir
    Path dir;

    @Test
    void aBackendOutsideTheToleranceIsMarkedInTheReportsAndSetsTheExitCode() throws Exception {
        Path probe = TestModels.probeOnnx();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"bench", "--backends", "onnx=" + probe + "," + SKEWED + "=" + probe,
                        "--generated-images", "4", "--warmup", "1", "--requests", "2", "--batch-sizes", "1", "--concurrency", "1",
                        "--repetitions", "1", "--no-baseline", "--out", dir.resolve("report").toString(), "--no-progress"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("ARGUS_DATA_DIR", dir.resolve("data").toString()));
        String stderr = err.toString(StandardCharsets.UTF_8);
        System.out.println("[bench] stderr:\n" + stderr);

        assertThat(exit).as(stderr).isEqualTo(ExitCodes.DISAGREEMENT).isEqualTo(5);
        assertThat(stderr).contains("argus bench: " + SKEWED + " vs onnx: DISAGREES: max logit diff ")
                .contains("backend(s) disagree with onnx beyond --agreement-tolerance (exit 5); the reports are written.");
        String md = Files.readString(dir.resolve("report/bench.md"));
        assertThat(md).startsWith("# Argus benchmark").contains("> **DISAGREEMENT.** " + SKEWED + " answers outside the tolerance")
                .contains("| **DISAGREES: max logit diff ");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(md);
        assertThat(Files.readString(dir.resolve("report/bench.html"))).contains("id=\"disagreement\"", "verdict-disagrees");
        JsonNode verdict = new ObjectMapper().readTree(dir.resolve("report/bench.json").toFile()).at("/agreement/verdicts/0");
        assertThat(verdict.get("backend").asText()).isEqualTo(SKEWED);
        assertThat(verdict.get("verdict").asText()).isEqualTo("disagrees");
        assertThat(verdict.get("maxLogitDiffOfRange").asDouble()).isGreaterThan(0.001);
    }
}
