package dev.argus.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.testkit.InferenceEngineContractTest;
import dev.argus.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInferenceEngineTest extends InferenceEngineContractTest {

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
        return OnnxInferenceEngine.open(model, OnnxConfig.defaults().withThreads(2));
    }

    private static long directBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getTotalCapacity).sum();
    }

    @Test
    void callsReuseTheThreadsDirectInputBufferAndAnswerAsBefore() {
        try (OnnxInferenceEngine e = OnnxInferenceEngine.open(TestModels.probeOnnx(), OnnxConfig.defaults().withThreads(1))) {
            int image = 3 * 224 * 224;
            float[] eight = new float[8 * image];
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < eight.length; i++) {
                eight[i] = (float) random.nextGaussian();
            }
            FloatTensor batch = new FloatTensor(new long[] {8, 3, 224, 224}, eight);
            float[] first = e.infer(batch).data();
            long before = directBytes();
            for (int i = 0; i < 20; i++) {
                assertThat(e.infer(batch).data()).containsExactly(first);
            }
            // ONNX Runtime given a heap buffer allocates a direct copy per call: 20 x 4.8 MB here
            assertThat(directBytes() - before).as("direct bytes allocated by 20 calls of a batch of 8")
                    .isLessThan(8L * image * Float.BYTES);
            // a smaller input after a larger one reads only its own values from the reused buffer
            float[] one = java.util.Arrays.copyOf(eight, image);
            float[] alone = e.infer(new FloatTensor(new long[] {1, 3, 224, 224}, one)).data();
            assertThat(alone).containsExactly(java.util.Arrays.copyOf(first, alone.length));
        }
    }

    @Test
    void readsInputAndOutputNamesAndTheDynamicBatchFromTheModel() {
        try (OnnxInferenceEngine e = OnnxInferenceEngine.open(TestModels.probeOnnx(), OnnxConfig.defaults())) {
            assertThat(e.inputShape()).containsExactly(-1, 3, 224, 224);
            assertThat(e.describe()).contains("onnxruntime 1.29").contains("CPU");
        }
    }

    @Test
    void namesTheTensorsTheModelHasWhenConfiguredNamesAreWrong() {
        assertThatThrownBy(() -> OnnxInferenceEngine.open(TestModels.probeOnnx(), "input_1", "", OnnxConfig.defaults()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("'input_1'")
                .hasMessageContaining("pixel_values")
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
    }

    @Test
    void failsClearlyForAMissingModelFile(@TempDir Path dir) {
        assertThatThrownBy(() -> OnnxInferenceEngine.open(dir.resolve("nope.onnx"), OnnxConfig.defaults()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("nope.onnx")
                .hasMessageContaining("does not exist");
    }

    @Test
    void failsClearlyForAFileThatIsNotAnOnnxModel(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("model.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxInferenceEngine.open(bogus, OnnxConfig.defaults()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("Cannot load ONNX model");
    }

    @Test
    void refusesCudaClearlyWithoutAGpu() {
        OnnxConfig cfg = OnnxConfig.defaults().withDevice(OnnxConfig.Device.CUDA, 0);
        assertThatThrownBy(() -> OnnxInferenceEngine.open(TestModels.probeOnnx(), cfg))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("CUDA")
                .hasMessageContaining("argus.onnx.device=cpu");
    }

    @Test
    void showsWhatTheModelFileRecordsAboutItself(@TempDir Path dir) throws Exception {
        dev.argus.onnxmodel.proto.OnnxSubset.ModelProto probe = dev.argus.onnxmodel.OnnxModels.parse(
                Files.readAllBytes(TestModels.probeOnnx()));
        Path recorded = Files.write(dir.resolve("recorded.onnx"), dev.argus.onnxmodel.OnnxModels.withMetadata(probe,
                java.util.Map.of("precision", "int8", "quantization.agreement.top1", "0.9950")).toByteArray());
        try (OnnxInferenceEngine e = OnnxInferenceEngine.open(recorded, OnnxConfig.defaults())) {
            assertThat(e.modelProperties()).containsExactly(java.util.Map.entry("precision", "int8"),
                    java.util.Map.entry("quantization.agreement.top1", "0.9950"));
        }
        try (OnnxInferenceEngine e = OnnxInferenceEngine.open(TestModels.probeOnnx(), OnnxConfig.defaults())) {
            assertThat(e.modelProperties()).doesNotContainKey("precision");
        }
    }

    @Test
    void metadataShownIsSortedAndBounded() {
        java.util.Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < OnnxInferenceEngine.MAX_PROPERTIES + 10; i++) {
            many.put(String.format("k%03d", i), "v" + i);
        }
        many.put("a-huge", "x".repeat(OnnxInferenceEngine.MAX_PROPERTY_CHARS + 1));
        many.put("precision", "int8");
        many.put("quantization.agreement.top1", "0.9950");
        java.util.Map<String, String> shown = OnnxInferenceEngine.shown(many, "m.onnx");
        assertThat(shown).hasSize(OnnxInferenceEngine.MAX_PROPERTIES).doesNotContainKey("a-huge").containsKey("k000")
                .containsKeys("precision", "quantization.agreement.top1"); // sorted after 64 k... keys, kept all the same
        assertThat(new java.util.ArrayList<>(shown.keySet())).isSorted();
        assertThat(OnnxInferenceEngine.shown(java.util.Map.of("precision", "int8"), "m.onnx"))
                .containsExactly(java.util.Map.entry("precision", "int8"));
    }
}
