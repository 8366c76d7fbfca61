package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.TensorLayout;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.testkit.InferenceEngineContractTest;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlTensorFlowInferenceEngineTest extends InferenceEngineContractTest {

    @Override
    protected Path resnet50Model() {
        return SavedModels.resnet50().orElseThrow();
    }

    @Override
    protected Path probeModel() {
        return SavedModels.probe().orElseThrow();
    }

    @Override
    protected InferenceEngine open(Path model) {
        return DjlInferenceEngine.open(DjlTestSupport.tensorflow(model), DjlTestSupport.tensorflowConfig());
    }

    @Test
    void refusesToOpenAModelOnZen5UnlessTheEnvironmentTurnsOneDnnOff() {
        // The CPU and environment are injected, so this fails wherever it runs if the guard is taken out of open().
        TensorflowCpuGuard oneDnnOn = new TensorflowCpuGuard(CpuSamples.zen5(), Map.of());
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(probeModel()), DjlTestSupport.tensorflowConfig(), () -> oneDnnOn))
                .isInstanceOf(ArgusException.class)
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("djl-tensorflow refuses to start")
                .hasMessageContaining("TF_ENABLE_ONEDNN_OPTS=0");
        TensorflowCpuGuard oneDnnOff = new TensorflowCpuGuard(CpuSamples.zen5(), Map.of("TF_ENABLE_ONEDNN_OPTS", "0"));
        try (DjlInferenceEngine e = DjlInferenceEngine.open(DjlTestSupport.tensorflow(probeModel()), DjlTestSupport.tensorflowConfig(), () -> oneDnnOff)) {
            FloatTensor out = e.infer(new FloatTensor(new long[] {1, 3, 224, 224}, Tensors.solidNchw(0x0000ff, 224)));
            assertThat(Tensors.argmax(out.data(), 0, 1000)).isEqualTo(608); // the probe's "blue"
        }
    }

    @Test
    void theTestRunnerTurnsOneDnnOffSoThisSuiteIsRightOnEveryCpu() {
        // pom.xml sets it for Surefire and Failsafe; without it the logit tests fail on Zen 5 (and the guard refuses).
        assertThatCode(TensorflowCpuGuard.forThisProcess()::check).doesNotThrowAnyException();
        assertThat(System.getenv("TF_ENABLE_ONEDNN_OPTS")).isEqualTo("0");
    }

    @Test
    void readsNamesShapeAndDynamicBatchFromTheSignature() {
        try (DjlInferenceEngine e = DjlInferenceEngine.open(DjlTestSupport.tensorflow(probeModel()), DjlTestSupport.tensorflowConfig())) {
            assertThat(e.inputShape()).containsExactly(-1, 3, 224, 224);
            assertThat(e.describe()).contains("tensorflow 2.16.1").contains("CPU");
        }
    }

    @Test
    void runsAnNhwcModelWhenTheLayoutSaysSo() {
        DjlModel m = DjlTestSupport.tensorflow(SavedModels.probeNhwc()).withLayout(TensorLayout.NHWC, 224);
        try (DjlInferenceEngine e = DjlInferenceEngine.open(m, DjlTestSupport.tensorflowConfig())) {
            assertThat(e.inputShape()).containsExactly(-1, 224, 224, 3);
            float[] nchw = Tensors.solidNchw(0x0000ff, 224);
            float[] nhwc = new float[nchw.length];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 224 * 224; i++) {
                    nhwc[i * 3 + c] = nchw[c * 224 * 224 + i];
                }
            }
            FloatTensor out = e.infer(new FloatTensor(new long[] {1, 224, 224, 3}, nhwc));
            assertThat(Tensors.argmax(out.data(), 0, 1000)).isEqualTo(608); // the probe's "blue"
        }
    }

    @Test
    void saysAtStartThatAnNhwcModelNeedsLayoutNhwc() {
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(SavedModels.probeNhwc()), DjlTestSupport.tensorflowConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("[-1, 224, 224, 3]")
                .hasMessageContaining("argus.model.layout");
    }

    @Test
    void namesTheTensorsTheModelHasWhenConfiguredNamesAreWrong() {
        DjlModel m = DjlTestSupport.tensorflow(probeModel()).withNames("input_1", "");
        assertThatThrownBy(() -> DjlInferenceEngine.open(m, DjlTestSupport.tensorflowConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("'input_1'")
                .hasMessageContaining("pixel_values")
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
        DjlModel out = DjlTestSupport.tensorflow(probeModel()).withNames("pixel_values", "probabilities");
        assertThatThrownBy(() -> DjlInferenceEngine.open(out, DjlTestSupport.tensorflowConfig())).hasMessageContaining("'probabilities'").hasMessageContaining("logits");
    }

    @Test
    void failsClearlyForAMissingSavedModel(@TempDir Path dir) {
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(dir.resolve("nope")), DjlTestSupport.tensorflowConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("saved_model.pb");
    }

    @Test
    void failsClearlyForADirectoryThatIsNotASavedModel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("saved_model.pb"), "not a model");
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(dir), DjlTestSupport.tensorflowConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("Cannot load")
                .hasMessageContaining("SavedModel");
    }

    @Test
    void failsClearlyForATorchScriptFileGivenToTensorFlow() {
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(TestModels.probeTorchScript()), DjlTestSupport.tensorflowConfig()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("probe.pt")
                .hasMessageContaining("is a file");
    }

    @Test
    void refusesAGpuClearly() {
        DjlConfig cfg = DjlTestSupport.tensorflowConfig().withDevice(DjlConfig.Device.GPU, 0);
        assertThatThrownBy(() -> DjlInferenceEngine.open(DjlTestSupport.tensorflow(probeModel()), cfg))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("CPU-only")
                .hasMessageContaining("argus.djl.device=cpu");
    }

    @Test
    void explainsWhereItLookedWhenTheNativesAreMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> TensorflowNatives.locate(java.util.Optional.of(dir)))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("libjnitensorflow.so")
                .hasMessageContaining("argus.djl.natives-dir");
    }
}
