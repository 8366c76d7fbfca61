package dev.argus.app;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ImageClassifierContractTest;
import dev.argus.testkit.TestModels;
import java.util.Map;

/** The ONNX Runtime backend, wired by the composition root exactly as the CLI wires it, passes the shared contract. */
class OnnxImageClassifierContractTest extends ImageClassifierContractTest {

    static ArgusConfig probeConfig(String backend) {
        Settings s = Settings.defaults()
                .set(Key.BACKEND, backend, "test")
                .set(Key.MODEL, TestModels.probeOnnx().toString(), "test")
                .set(Key.MODEL_NAME, "argus/probe", "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test");
        return ArgusConfig.from(s, Map.of());
    }

    @Override
    protected ImageClassifier newProbeClassifier() {
        Argus argus = Argus.start(probeConfig("onnx"), ModelSource.ProgressListener.NONE);
        return argus.classifier();
    }

    @Override
    protected String expectedBackend() {
        return "onnx";
    }
}
