package dev.argus.app.rest;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ModelSource;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import dev.argus.testkit.TestModels;
import java.net.URI;
import java.nio.file.Path;

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

    /** The onnx backend on any model file. */
    static ArgusConfig config(Path model, String name) {
        return dev.argus.app.TestConfigs.config(model, name);
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
