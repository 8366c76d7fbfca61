package dev.argus.app.grpc;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.grpc.GrpcConfig;
import dev.argus.grpc.GrpcServer;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.TestModels;
import java.nio.file.Path;

/** The real engine on a model, wired as the CLI wires it, served by a real gRPC server on 127.0.0.1 and a free port. */
final class ProbeServer implements AutoCloseable {
    final Argus argus;
    final GrpcServer server;

    private ProbeServer(Path model, String name, GrpcConfig grpc) {
        argus = Argus.start(config(model, name), ModelSource.ProgressListener.NONE);
        server = GrpcServer.start(grpc.withAddress("127.0.0.1", 0), argus.useCase());
        server.setServing(true);
    }

    static ProbeServer probe() {
        return new ProbeServer(TestModels.probeOnnx(), "argus/probe", GrpcConfig.defaults());
    }

    static ProbeServer on(Path model, String name, GrpcConfig grpc) {
        return new ProbeServer(model, name, grpc);
    }

    static ArgusConfig config(Path model, String name) {
        return dev.argus.app.TestConfigs.config(model, name);
    }

    String target() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
        argus.close();
    }
}
