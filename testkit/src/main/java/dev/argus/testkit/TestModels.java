package dev.argus.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the generated test models are. The test setup ({@code bash .ci/setup-test-data}) writes them; they are never
 * committed. A missing model is a broken setup, so tests fail (not skip) with a message that says how to make them.
 */
public final class TestModels {
    private TestModels() {
    }

    /** The directory from {@code -Dargus.test.models}, else {@code build/test-models} under the repository root. */
    public static Path directory() {
        String prop = System.getProperty("argus.test.models");
        if (prop != null && !prop.isBlank()) {
            return Paths.get(prop);
        }
        return RepoPaths.root().resolve("build/test-models");
    }

    /** The generated ResNet-50 (torchvision architecture, seeded weights) as ONNX. */
    public static Path resnet50Onnx() {
        return require("resnet50.onnx");
    }

    /** The same ResNet-50 as TorchScript. */
    public static Path resnet50TorchScript() {
        return require("resnet50.pt");
    }

    /** The probe model with designed weights, as ONNX. */
    public static Path probeOnnx() {
        return require("probe.onnx");
    }

    /** The probe model as TorchScript. */
    public static Path probeTorchScript() {
        return require("probe.pt");
    }

    /** A file (or SavedModel directory) in the test-model directory, which must exist. */
    public static Path require(String name) {
        Path p = directory().resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalStateException("Test model " + p + " is missing. Generate the test models with "
                    + "'bash .ci/setup-test-data' (needs Debian's python3-torch, and Maven for the TensorFlow SavedModels, "
                    + "which tools/testdata/make_savedmodels builds from the same weights).");
        }
        return p;
    }
}
