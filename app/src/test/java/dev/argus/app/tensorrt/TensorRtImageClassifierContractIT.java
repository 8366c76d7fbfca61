package dev.argus.app.tensorrt;

import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;
import dev.argus.tensorrt.TensorRtInferenceEngine;
import dev.argus.testkit.ImageClassifierContractTest;
import dev.argus.testkit.TestModels;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * The tensorrt backend, wired by the composition root as the CLI and servers wire it, passes the shared contract on
 * the probe model (FP32). Needs an NVIDIA GPU with TensorRT: without one the class is aborted before its first test,
 * printing why (as {@code TensorRtInferenceEngineIT} is), so none of its tests counts as passed.
 */
@Tag("gpu")
class TensorRtImageClassifierContractIT extends ImageClassifierContractTest {

    @Override
    protected ImageClassifier newProbeClassifier() {
        Optional<String> unavailable = TensorRtInferenceEngine.unavailableReason(0);
        if (unavailable.isPresent()) {
            System.out.println("SKIPPED TensorRtImageClassifierContractIT (GPU test): no usable GPU: " + unavailable.get());
            Assumptions.abort("no usable GPU: " + unavailable.get());
        }
        ArgusConfig config = ArgusConfig.from(TestConfigs.settings("tensorrt", TestModels.probeOnnx(), "argus/probe"), Map.of());
        return Argus.start(config, ModelSource.ProgressListener.NONE).classifier();
    }

    @Override
    protected String expectedBackend() {
        return "tensorrt";
    }
}
