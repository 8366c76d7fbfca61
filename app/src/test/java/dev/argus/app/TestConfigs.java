package dev.argus.app;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.testkit.TestModels;
import java.nio.file.Path;
import java.util.Map;

/** Configurations the app's tests start Argus with: a local model file, servers on free ports. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** Settings for the onnx backend on a model file, data under target/, servers on free ports of 127.0.0.1. */
    public static Settings settings(Path model, String name) {
        return settings("onnx", model, name);
    }

    /** Settings for a backend on a model file (file or SavedModel directory). */
    public static Settings settings(String backend, Path model, String name) {
        return Settings.defaults()
                .set(Key.BACKEND, backend, "test")
                .set(Key.MODEL, model.toString(), "test")
                .set(Key.MODEL_NAME, name, "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test")
                .set(Key.REST_PORT, "0", "test")
                .set(Key.GRPC_PORT, "0", "test");
    }

    /** The onnx backend on a model file. */
    public static ArgusConfig config(Path model, String name) {
        return ArgusConfig.from(settings(model, name), Map.of());
    }

    /** Settings for the probe model (designed weights: each probe image has a known class). */
    public static Settings probeSettings() {
        return settings(TestModels.probeOnnx(), "argus/probe");
    }

    /** The onnx backend on the probe model. */
    public static ArgusConfig probe() {
        return config(TestModels.probeOnnx(), "argus/probe");
    }
}
