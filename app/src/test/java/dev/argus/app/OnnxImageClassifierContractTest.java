package dev.argus.app;

import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ImageClassifierContractTest;

/** The ONNX Runtime backend, wired by the composition root exactly as the CLI wires it, passes the shared contract. */
class OnnxImageClassifierContractTest extends ImageClassifierContractTest {

    @Override
    protected ImageClassifier newProbeClassifier() {
        Argus argus = Argus.start(TestConfigs.probe(), ModelSource.ProgressListener.NONE);
        return argus.classifier();
    }

    @Override
    protected String expectedBackend() {
        return "onnx";
    }
}
