package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.testkit.InferenceEngineContractTest;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TensorRT on a real GPU (build with {@code -Pgpu}, run where an NVIDIA driver and device are present). Skipped, with
 * the reason printed, elsewhere: a skip here is not coverage of the TensorRT path.
 */
@Tag("gpu")
class TensorRtInferenceEngineIT extends InferenceEngineContractTest {
    private static final Path CACHE = Path.of(System.getProperty("argus.tensorrt.cache", "target/engine-cache"));

    private static void requireGpu() {
        String reason = null;
        if (!Files.exists(Path.of("/dev/nvidiactl"))) {
            reason = "no NVIDIA device (/dev/nvidiactl absent)";
        } else if (CudaProbe.availability(0) instanceof CudaProbe.Unavailable u) {
            reason = u.reason();
        }
        if (reason != null) {
            System.out.println("SKIPPED TensorRtInferenceEngineIT: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
    }

    /** Two execution contexts, as Argus's tensorrt backend has by default. */
    private static final int WORKERS = 2;

    private static TensorRtConfig config() {
        return TensorRtConfig.defaults().withCacheDir(CACHE);
    }

    @Override
    protected Path resnet50Model() {
        return TestModels.resnet50Onnx();
    }

    @Override
    protected Path probeModel() {
        return TestModels.probeOnnx();
    }

    @Override
    protected InferenceEngine open(Path model) {
        requireGpu();
        return TensorRtInferenceEngine.open(model, WORKERS, config());
    }

    @Test
    void fp32ReproducesTheReferenceLogitsWithin1e3AndTheSecondStartLoadsFromCache() throws Exception {
        requireGpu();
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        float[] expected = Tensors.readF32(TestModels.require("resnet50-reference-logits.bin"));
        try (TensorRtInferenceEngine engine = TensorRtInferenceEngine.open(resnet50Model(), WORKERS, config())) {
            FloatTensor out = engine.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
            assertThat(Tensors.maxAbsDiff(out.data(), expected)).isLessThan(1e-3);
        }
        Path entry = cacheEntries("resnet50").get(0);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(entry);
        long t0 = System.nanoTime();
        try (TensorRtInferenceEngine again = TensorRtInferenceEngine.open(resnet50Model(), WORKERS, config())) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("TensorRT second start (cached engine): " + ms + " ms");
            assertThat(again.describe()).contains("tensorrt");
            FloatTensor out = again.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
            assertThat(Tensors.maxAbsDiff(out.data(), expected)).isLessThan(1e-3);
        }
        assertThat(Files.getLastModifiedTime(entry)).as("loaded from the cache, not rebuilt and rewritten").isEqualTo(written);
    }

    private static java.util.List<Path> cacheEntries(String stem) throws java.io.IOException {
        try (var files = Files.list(CACHE)) {
            return files.filter(p -> p.getFileName().toString().startsWith(stem + "-")).toList();
        }
    }

    @Test
    void aModelWithTwoOutputsIsRefusedBeforeABuild(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        requireGpu();
        Path model = dir.resolve("two-outputs.onnx");
        Files.write(model, TinyOnnx.model(dev.argus.onnxmodel.proto.OnnxSubset.GraphProto.newBuilder().setName("g")
                .addInput(TinyOnnx.value("x", OnnxTypes.FLOAT, 1, 4))
                .addOutput(TinyOnnx.value("y1", OnnxTypes.FLOAT, 1, 4)).addOutput(TinyOnnx.value("y2", OnnxTypes.FLOAT, 1, 4))
                .addNode(TinyOnnx.node("Relu", "r", TinyOnnx.in("x"), "y1"))
                .addNode(TinyOnnx.node("Neg", "n", TinyOnnx.in("x"), "y2"))).toByteArray());
        TensorRtConfig c = TensorRtConfig.defaults().withCacheDir(dir.resolve("cache")).withBatchProfile(1, 1, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TensorRtInferenceEngine.open(model, WORKERS, c))
                .isInstanceOf(dev.argus.domain.ArgusException.class)
                .hasMessageContaining("one input and one output").hasMessageContaining("y2");
        assertThat(dir.resolve("cache")).as("nothing built, nothing cached").satisfiesAnyOf(
                d -> assertThat(d).doesNotExist(), d -> assertThat(d).isEmptyDirectory());
    }

    @Test
    void fp16KeepsTheReferenceTop1AndTop5() {
        requireGpu();
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        float[] expected = Tensors.readF32(TestModels.require("resnet50-reference-logits.bin"));
        TensorRtConfig c = config().withPrecision(TensorRtConfig.Precision.FP16);
        try (TensorRtInferenceEngine engine = TensorRtInferenceEngine.open(resnet50Model(), WORKERS, c)) {
            FloatTensor out = engine.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
            System.out.println("TensorRT FP16 max |logit diff| against PyTorch FP32: " + Tensors.maxAbsDiff(out.data(), expected));
            for (int row = 0; row < 2; row++) {
                float[] got = java.util.Arrays.copyOfRange(out.data(), row * 1000, (row + 1) * 1000);
                float[] want = java.util.Arrays.copyOfRange(expected, row * 1000, (row + 1) * 1000);
                assertThat(top(got, 1)).as("top-1, row " + row).isEqualTo(top(want, 1));
                assertThat(top(got, 5)).as("top-5 set, row " + row).containsExactlyInAnyOrderElementsOf(top(want, 5));
            }
        }
    }

    private static java.util.List<Integer> top(float[] logits, int k) {
        return java.util.stream.IntStream.range(0, logits.length).boxed()
                .sorted((a, b) -> Float.compare(logits[b], logits[a])).limit(k).toList();
    }

    @Test
    void aCorruptedCacheEntryIsRebuilt() throws Exception {
        requireGpu();
        TensorRtConfig c = config();
        try (TensorRtInferenceEngine e = TensorRtInferenceEngine.open(probeModel(), WORKERS, c)) {
            assertThat(e.maxBatchSize()).isEqualTo(c.maxBatch());
        }
        try (var files = Files.list(CACHE)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("probe-")).toList()) {
                byte[] b = Files.readAllBytes(f);
                b[b.length / 2] ^= 1;
                Files.write(f, b);
            }
        }
        try (TensorRtInferenceEngine e = TensorRtInferenceEngine.open(probeModel(), WORKERS, c)) {
            FloatTensor out = e.infer(new FloatTensor(new long[] {1, 3, 224, 224}, new float[3 * 224 * 224]));
            assertThat(out.shape()).containsExactly(1, 1000);
        }
    }
}
