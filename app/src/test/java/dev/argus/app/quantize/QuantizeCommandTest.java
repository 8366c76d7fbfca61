package dev.argus.app.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.cli.Main;
import dev.argus.onnx.OnnxModelRunner;
import dev.argus.onnxmodel.OnnxModels;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code argus quantize} end to end on the generated probe model, with images drawn in the test. */
class QuantizeCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int quantize(String... extra) {
        List<String> args = new ArrayList<>(List.of("quantize", "--model", TestModels.probeOnnx().toString()));
        args.addAll(List.of(extra));
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ORT_DISABLE_TELEMETRY", "1"));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quantizesTheProbeModelAndRecordsItsAgreement() throws IOException {
        Path cal = SyntheticImages.folder(dir.resolve("cal"), 24, 1);
        Path held = SyntheticImages.folder(dir.resolve("held"), 24, 2);
        Path int8 = dir.resolve("probe-int8.onnx");
        int code = quantize("--calibration", cal.toString(), "--held-out", held.toString(), "--out", int8.toString(),
                "--keep-fp32", "none", "--method", "minmax", "--progress");
        assertThat(code).as(err()).isZero();
        assertThat(err()).contains("calibrating on 24 images", "checking on 24 images", "top-1 agreement",
                "warning: 24 held-out images cannot show a top-1 agreement of 99.00% at 95% confidence");
        Map<String, String> meta = OnnxModels.metadata(OnnxModels.parse(Files.readAllBytes(int8)));
        assertThat(meta).containsEntry("precision", "int8").containsEntry("quantization.calibration.method", "minmax")
                .containsEntry("quantization.calibration.images", "24").containsEntry("quantization.agreement.images", "24")
                .containsKeys("quantization.agreement.top5_overlap", "quantization.agreement.max_score_difference")
                .containsEntry("quantization.agreement.top1_lower95", "0.8620"); // 24 of 24, Wilson's 95% lower end
        assertThat(Double.parseDouble(meta.get("quantization.agreement.top1"))).isGreaterThanOrEqualTo(0.99);
        try (OnnxModelRunner r = OnnxModelRunner.open(Files.readAllBytes(int8), "the int8 probe", 1)) {
            assertThat(r.outputNames()).containsExactly("logits");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("int8", "top-1 agreement");
        // the model gets the mode any new file gets here (the umask's), not a temporary file's owner-only 0600
        Path plain = Files.createFile(dir.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(int8)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void refusesABadlyCalibratedModelAndWritesNothing() {
        // calibrated on black images only: every brighter value of a served image is clipped to black's range
        Path cal = SyntheticImages.solid(dir.resolve("black"), 4, 0x000000);
        Path held = SyntheticImages.folder(dir.resolve("held"), 24, 2);
        Path int8 = dir.resolve("bad.onnx");
        int code = quantize("--calibration", cal.toString(), "--held-out", held.toString(), "--out", int8.toString(),
                "--keep-fp32", "none", "--method", "minmax");
        assertThat(code).as(err()).isEqualTo(5);
        assertThat(err()).contains("refusing to write " + int8, "is below the minimum 99.00%", "No file was written");
        assertThat(int8).doesNotExist();
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void refusesHeldOutImagesThatCalibrationSaw() {
        Path cal = SyntheticImages.folder(dir.resolve("cal"), 3, 1);
        Path held = SyntheticImages.folder(dir.resolve("held"), 3, 1); // the same seed: the same pictures
        int code = quantize("--calibration", cal.toString(), "--held-out", held.toString(), "--out", dir.resolve("x.onnx").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("is also a calibration image");
    }

    @Test
    void quantizesForCpusWithoutVnniWithSevenBitWeights() throws IOException {
        Path cal = SyntheticImages.folder(dir.resolve("cal"), 8, 3);
        Path held = SyntheticImages.folder(dir.resolve("held"), 8, 4);
        Path int8 = dir.resolve("probe-avx2.onnx");
        int code = quantize("--calibration", cal.toString(), "--held-out", held.toString(), "--out", int8.toString(),
                "--keep-fp32", "none", "--cpu", "no-vnni", "--min-top1-agreement", "0");
        assertThat(code).as(err()).isZero();
        Map<String, String> meta = OnnxModels.metadata(OnnxModels.parse(Files.readAllBytes(int8)));
        assertThat(meta.get("quantization.target")).startsWith("no-vnni: 7-bit weights");
        assertThat(meta.get("quantization.format")).contains("7-bit");
    }

    @Test
    void refusesAModelWithNothingLeftToQuantize() {
        Path cal = SyntheticImages.folder(dir.resolve("cal"), 2, 5);
        Path held = SyntheticImages.folder(dir.resolve("held"), 2, 6);
        // the probe's one Gemm is both its first and its last layer
        int code = quantize("--calibration", cal.toString(), "--held-out", held.toString(), "--out", dir.resolve("x.onnx").toString());
        assertThat(code).isEqualTo(3);
        assertThat(err()).contains("no Conv, Gemm or MatMul", "--keep-fp32");
    }
}
