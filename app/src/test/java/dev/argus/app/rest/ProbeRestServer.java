package dev.argus.app.rest;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ModelSource;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import dev.argus.testkit.TestModels;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** The real engine on a model, wired as the CLI wires it, served by a real REST server on 127.0.0.1 and a free port. */
final class ProbeRestServer implements AutoCloseable {
    final Argus argus;
    final RestServer server;

    private ProbeRestServer(Path model, String name, RestConfig rest) {
        argus = Argus.start(config(model, name), ModelSource.ProgressListener.NONE);
        server = new RestServer(rest.withHost("127.0.0.1").withPort(0), argus.useCase(), () -> true).start();
    }

    static ProbeRestServer probe() {
        return new ProbeRestServer(TestModels.probeOnnx(), "argus/probe", RestConfig.defaults());
    }

    static ProbeRestServer on(Path model, String name, RestConfig rest) {
        return new ProbeRestServer(model, name, rest);
    }

    /** As OnnxImageClassifierContractTest.probeConfig("onnx"), for any model file. */
    static ArgusConfig config(Path model, String name) {
        Settings s = Settings.defaults()
                .set(Key.BACKEND, "onnx", "test")
                .set(Key.MODEL, model.toString(), "test")
                .set(Key.MODEL_NAME, name, "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test");
        return ArgusConfig.from(s, Map.of());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Override
    public void close() {
        server.close();
        argus.close();
    }
}
