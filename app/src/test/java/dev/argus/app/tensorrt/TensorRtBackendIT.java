package dev.argus.app.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import dev.argus.domain.LabelStyle;
import dev.argus.tensorrt.TensorRtInferenceEngine;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend tensorrt} through the CLI. Without a GPU (this CI): the start fails with exit code 3 and a message
 * naming the cause, in process and as a separate JVM, and nothing crashes. With a GPU the same command must classify.
 */
class TensorRtBackendIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Skips the test, printing why, without a usable GPU. */
    private static void requireGpu() {
        java.util.Optional<String> reason = TensorRtInferenceEngine.unavailableReason(0);
        if (reason.isPresent()) {
            System.out.println("SKIPPED TensorRtBackendIT (GPU test): no usable GPU: " + reason.get());
            Assumptions.abort("no usable GPU: " + reason.get());
        }
    }

    private static boolean gpuUsable() {
        return TensorRtInferenceEngine.unavailableReason(0).isEmpty();
    }

    @Test
    void withoutAGpuClassifyFailsAtStartNamingTheCause() {
        Assumptions.assumeFalse(gpuUsable(), "a GPU is usable here: the failure path cannot be observed");
        ProbeCase probe = ProbeCase.all().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = Main.run(new String[] {"classify", "-q", "--backend", "tensorrt", "--model", TestModels.probeOnnx().toString(),
                probe.file().toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String stderr = err.toString(StandardCharsets.UTF_8);
        System.out.println("[tensorrt] in-process start failed after " + ms + " ms: " + stderr.strip());
        assertThat(code).as(stderr).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(stderr).contains("TensorRT backend unavailable")
                .containsAnyOf("no NVIDIA driver", "no CUDA device", "TensorRT library missing")
                .contains("argus.backend=onnx").doesNotContain("\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutAGpuTheLauncherExitsWithTheMessageAndNoCrashReport() throws Exception {
        Assumptions.assumeFalse(gpuUsable(), "a GPU is usable here: the failure path cannot be observed");
        Path launcher = RepoPaths.root().resolve("app/target/argus/bin/argus");
        assertThat(launcher).as("built by mvn package before the integration tests").exists();
        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "classify", "-q", "--backend", "tensorrt", "--model",
                TestModels.probeOnnx().toString(), ProbeCase.all().get(0).file().toString()).directory(tmp.toFile());
        pb.environment().put("ARGUS_DATA_DIR", tmp.resolve("data").toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits instead of hanging").isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("[tensorrt] launcher exited " + p.exitValue() + " after " + ms + " ms (JVM start included)");
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(err).contains("TensorRT backend unavailable").doesNotContain("\tat ").doesNotContain("SIGSEGV");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
    }

    /**
     * The shared photos through the whole pipeline: TensorRT FP32 and FP16 give ONNX Runtime's top-1 and top-5 set on
     * the generated ResNet-50 (the FP16 criterion).
     */
    @Test
    @Tag("gpu")
    void withAGpuFp32AndFp16AgreeWithOnnxRuntimeOnTheSharedPhotos() throws Exception {
        requireGpu();
        java.util.List<Path> photos = dev.argus.testkit.TestImages.sharedPhotos();
        Assumptions.assumeFalse(photos.isEmpty(), "no shared photos");
        for (String precision : new String[] {"fp32", "fp16"}) {
            for (Path photo : photos) {
                java.util.List<String> onnx = top5("onnx", "fp32", photo);
                java.util.List<String> trt = top5("tensorrt", precision, photo);
                System.out.println("[tensorrt " + precision + "] " + photo.getFileName() + ": " + trt + " (onnx " + onnx + ")");
                assertThat(trt.get(0)).as(precision + " top-1 " + photo.getFileName()).isEqualTo(onnx.get(0));
                assertThat(trt).as(precision + " top-5 set " + photo.getFileName()).containsExactlyInAnyOrderElementsOf(onnx);
            }
        }
    }

    private java.util.List<String> top5(String backend, String precision, Path photo) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"classify", "-q", "--backend", backend, "--model", TestModels.resnet50Onnx().toString(),
                "-D", "argus.tensorrt.precision=" + precision, photo.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        java.util.List<String> labels = new java.util.ArrayList<>();
        JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("result").forEach(r -> labels.add(r.get("label").asText()));
        return labels;
    }

    @Test
    @Tag("gpu")
    void withAGpuTheProbeImagesGetTheirDesignedClasses() throws Exception {
        requireGpu();
        for (ProbeCase probe : ProbeCase.all()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"classify", "-q", "--backend", "tensorrt", "--model", TestModels.probeOnnx().toString(),
                    probe.file().toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("result").get(0).get("label").asText())
                    .as(probe.file().getFileName().toString()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        }
    }
}
