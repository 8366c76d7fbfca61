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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argus bench} end to end: the probe model (same designed weights as ONNX, TorchScript and SavedModel) through
 * onnx, djl-pytorch and djl-tensorflow, each in its own worker JVM, plus tensorrt, which cannot run here. One run
 * feeds all the checks: the three reports, the figures in them, 100% top-1 agreement, and the HTML in Chromium.
 */
class BenchCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of(System.getProperty("argus.chromium", "/usr/bin/chromium"));

    @TempDir
    static Path dir;

    private static int exit;
    private static String stdout;
    private static String stderr;
    private static JsonNode report;

    @BeforeAll
    static void runTheBenchmarkOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String backends = "onnx=" + TestModels.probeOnnx() + ",djl-pytorch=" + TestModels.probeTorchScript()
                + ",djl-tensorflow=" + TestModels.require("probe-savedmodel") + ",tensorrt=" + TestModels.probeOnnx();
        exit = Main.run(new String[] {"bench", "--backends", backends, "--generated-images", "5", "--warmup", "2",
                        "--requests", "6", "--batch-sizes", "1,4", "--concurrency", "1,2", "--repetitions", "2",
                        "--out", dir.resolve("report").toString(), "--no-progress"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("ARGUS_DATA_DIR", dir.resolve("data").toString()));
        stdout = out.toString(StandardCharsets.UTF_8);
        stderr = err.toString(StandardCharsets.UTF_8);
        System.out.println("[bench] stderr:\n" + stderr);
        System.out.println("[bench] summary:\n" + stdout);
        report = JSON.readTree(dir.resolve("report/bench.json").toFile());
    }

    @Test
    void writesTheThreeReportsAndPrintsTheSummary() {
        assertThat(exit).as(stderr).isEqualTo(ExitCodes.OK);
        assertThat(dir.resolve("report/bench.json")).isRegularFile();
        assertThat(dir.resolve("report/bench.md")).isRegularFile();
        assertThat(dir.resolve("report/bench.html")).isRegularFile();
        assertThat(stdout).startsWith("# Argus benchmark").contains("## Agreement with onnx");
        assertThat(report.get("schema").asText()).isEqualTo("argus-bench/1");
    }

    @Test
    void everyWorkingBackendHasEveryRowAndTheUnavailableOneSaysWhy() {
        List<String> ok = new ArrayList<>();
        for (JsonNode b : report.get("backends")) {
            if (b.get("status").asText().equals("ok")) {
                ok.add(b.get("id").asText());
                assertThat(b.get("loadMillis").get("median").asDouble()).isPositive();
                assertThat(b.get("coldStartMillis").get("median").asDouble()).as("JVM launch to first answer")
                        .isGreaterThan(b.get("loadMillis").get("median").asDouble());
                assertThat(b.get("coldStartMillis").get("values")).hasSize(2);
            } else {
                assertThat(b.get("id").asText()).isEqualTo("tensorrt");
                assertThat(b.get("status").asText()).isEqualTo("unavailable");
                assertThat(b.get("reason").asText()).contains("TensorRT backend unavailable");
            }
        }
        assertThat(ok).containsExactly("onnx", "djl-pytorch", "djl-tensorflow");
        // 3 backends x (pipeline + engine) x 2 batch sizes x 2 concurrency levels
        assertThat(report.get("rows")).hasSize(3 * 2 * 4);
        for (JsonNode row : report.get("rows")) {
            String what = row.get("backend").asText() + " " + row.get("kind").asText() + " b" + row.get("batch") + " c" + row.get("concurrency");
            assertThat(row.get("repetitions").asInt()).as(what).isEqualTo(2);
            assertThat(row.get("imagesPerSecond").get("values")).as(what).hasSize(2);
            assertThat(row.get("imagesPerSecond").get("median").asDouble()).as(what).isPositive();
            assertThat(row.get("p50Ms").get("median").asDouble()).as(what)
                    .isLessThanOrEqualTo(row.get("p99Ms").get("median").asDouble());
            assertThat(row.get("failedCalls").asInt() + row.get("failedImages").asInt()).as(what).isZero();
            assertThat(row.get("peakRssBytes").get("median").asDouble()).as(what).isGreaterThan(50e6);
            if (row.get("kind").asText().equals("pipeline")) {
                assertThat(row.get("decodeMs").get("median").asDouble()).as(what + " decode").isPositive();
                assertThat(row.get("inferenceMs").get("median").asDouble()).as(what + " inference").isPositive();
                assertThat(row.get("overheadVsEngine").isNumber()).as(what).isTrue();
                assertThat(row.get("calls").asInt()).as(what).isEqualTo(2 * 6);
            }
        }
        assertThat(report.get("rows").findValuesAsText("kind")).contains("engine", "pipeline");
    }

    @Test
    void backendsWithTheSameWeightsAgreeOnEveryImage() {
        JsonNode agreement = report.get("agreement");
        assertThat(agreement.get("reference").asText()).isEqualTo("onnx");
        assertThat(agreement.get("pairs")).hasSize(6);
        for (JsonNode pair : agreement.get("pairs")) {
            String what = pair.get("a").asText() + " vs " + pair.get("b").asText();
            assertThat(pair.get("images").asInt()).as(what).isEqualTo(5);
            assertThat(pair.get("top1Agreement").asDouble()).as(what).isEqualTo(1.0);
            assertThat(pair.get("top5OverlapMin").asInt()).as(what).isEqualTo(5);
            assertThat(pair.get("maxLogitDiff").asDouble()).as(what).isLessThan(1e-3);
        }
        assertThat(agreement.get("verdicts")).as("tensorrt never answered").hasSize(2).allSatisfy(v ->
                assertThat(v.get("verdict").asText()).as(v.get("summary").asText()).isEqualTo("agrees"));
        assertThat(Files.exists(dir.resolve("report/bench.md"))).isTrue();
    }

    @Test
    void theHtmlReportRendersInHeadlessChromiumWithItsChartsAndWithoutTheNetwork() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), () -> {
            String reason = CHROMIUM + " missing (apt-get install -y chromium)";
            System.out.println("SKIPPED BenchCommandIT HTML rendering: " + reason);
            return reason;
        });
        Path html = dir.resolve("report/bench.html");
        String source = Files.readString(html);
        assertThat(source).doesNotContainPattern("(src|href)=\"https?:").doesNotContain("url(http");
        Path png = dir.resolve("report.png");
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,3000", "--screenshot=" + png,
                "--dump-dom", html.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("Chromium exits").isTrue();
        assertThat(dom).as("the DOM Chromium built").contains("<h1>Argus benchmark</h1>")
                .contains("class=\"chart line-chart\"").contains("class=\"chart box-plot\"")
                .contains("class=\"chart matrix\"").contains("class=\"chart stacked\"").contains("id=\"results\"");
        assertThat(dom.split("class=\"chart line-chart\"", -1)).as("one throughput chart per batch size").hasSize(3);
        assertThat(png).isRegularFile();
        assertThat(Files.size(png)).as("a rendered page, not a blank one").isGreaterThan(50_000);
    }
}
