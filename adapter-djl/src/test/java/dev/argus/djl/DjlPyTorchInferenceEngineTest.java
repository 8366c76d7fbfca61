package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.TensorLayout;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.testkit.InferenceEngineContractTest;
import dev.argus.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlPyTorchInferenceEngineTest extends InferenceEngineContractTest {

    @Override
    protected Path resnet50Model() {
        return TestModels.resnet50TorchScript();
    }

    @Override
    protected Path probeModel() {
        return TestModels.probeTorchScript();
    }

    @Override
    protected InferenceEngine open(Path model) {
        return DjlInferenceEngine.open(DjlTestSupport.pytorch(model), DjlTestSupport.pytorchConfig());
    }

    @Test
    void describesEngineVersionAndThreads() {
        try (DjlInferenceEngine e = DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.probeTorchScript()), DjlTestSupport.pytorchConfig())) {
            assertThat(e.describe()).contains("pytorch 2.7.1").contains("CPU").contains("intra-op threads 2");
            assertThat(e.inputShape()).containsExactly(-1, 3, 224, 224);
        }
    }

    @Test
    void keepsItsNativeCachesUnderTheConfiguredDirectory() {
        try (DjlInferenceEngine e = DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.probeTorchScript()), DjlTestSupport.pytorchConfig())) {
            assertThat(ai.djl.pytorch.jni.LibUtils.getLibtorchPath()).startsWith(DjlTestSupport.cacheDir().toAbsolutePath().toString());
            assertThat(ai.djl.util.Utils.getCacheDir().toAbsolutePath()).isEqualTo(DjlTestSupport.cacheDir().toAbsolutePath());
        }
    }

    @Test
    void takesTheOnlyOutputForTheConfiguredNameSinceTorchScriptHasNoNames() {
        DjlModel m = DjlTestSupport.pytorch(TestModels.probeTorchScript()).withNames("pixel_values", "logits");
        try (DjlInferenceEngine e = DjlInferenceEngine.open(m, DjlTestSupport.pytorchConfig())) {
            assertThat(e.infer(new dev.argus.ports.model.FloatTensor(new long[] {1, 3, 224, 224}, new float[3 * 224 * 224]))
                    .shape()).containsExactly(1, 1000);
        }
    }

    @Test
    void failsAtStartWhenTheLayoutDoesNotFitTheModel() {
        DjlModel m = DjlTestSupport.pytorch(TestModels.probeTorchScript()).withLayout(TensorLayout.NCHW, 100);
        assertThatThrownBy(() -> DjlInferenceEngine.open(m, DjlTestSupport.pytorchConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("layout")
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
    }

    @Test
    void failsClearlyForAMissingModelFile(@TempDir Path dir) {
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.pytorch(dir.resolve("nope.pt")), DjlTestSupport.pytorchConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("nope.pt")
                .hasMessageContaining("does not exist");
    }

    @Test
    void failsClearlyForAFileThatIsNotTorchScript(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("model.pt"), "not a model");
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.pytorch(bogus), DjlTestSupport.pytorchConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("Cannot load")
                .hasMessageContaining("TorchScript")
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
    }

    @Test
    void failsClearlyForAnOnnxFileGivenToPyTorch() {
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.probeOnnx()), DjlTestSupport.pytorchConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("probe.onnx")
                .hasMessageContaining("TorchScript");
    }

    @Test
    void refusesANativesDirWithoutLibtorch(@TempDir Path dir) {
        DjlConfig cfg = DjlTestSupport.pytorchConfig().withNativesDir(dir);
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.probeTorchScript()), cfg))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("argus.djl.natives-dir=" + dir)
                .hasMessageContaining("libtorch.so")
                .hasMessageContaining("cu128");
    }

    @Test
    void refusesAGpuClearlyWhereThereIsNone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0,
                "a GPU is visible: DjlPyTorchCudaIT covers it");
        DjlConfig cfg = DjlTestSupport.pytorchConfig().withDevice(DjlConfig.Device.GPU, 0);
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.probeTorchScript()), cfg))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("sees 0 GPU(s)")
                .hasMessageContaining("argus.djl.natives-dir")
                .hasMessageContaining("argus.djl.device=cpu")
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
    }
}
