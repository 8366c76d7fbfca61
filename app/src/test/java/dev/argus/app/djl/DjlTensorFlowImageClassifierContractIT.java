package dev.argus.app.djl;

import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ImageClassifierContractTest;
import dev.argus.testkit.TestModels;
import java.util.Map;

/** The djl-tensorflow backend, wired by the composition root as the CLI and servers wire it, passes the shared contract. */
class DjlTensorFlowImageClassifierContractIT extends ImageClassifierContractTest {

    @Override
    protected ImageClassifier newProbeClassifier() {
        ArgusConfig config = ArgusConfig.from(TestConfigs.settings("djl-tensorflow", TestModels.require("probe-savedmodel"), "argus/probe"), Map.of());
        return Argus.start(config, ModelSource.ProgressListener.NONE).classifier();
    }

    @Override
    protected String expectedBackend() {
        return "djl-tensorflow";
    }
}
