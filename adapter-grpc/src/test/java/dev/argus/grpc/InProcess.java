package dev.argus.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.concurrent.TimeUnit;

/** A {@link GrpcServer} on the in-process transport with a channel to it. */
final class InProcess implements AutoCloseable {
    final GrpcServer server;
    final ManagedChannel channel;
    final String name;

    InProcess(GrpcConfig config, FakeUseCase useCase, ServerInterceptor... extra) {
        this(config, useCase, dev.argus.ports.service.Tracing.OFF, extra);
    }

    InProcess(GrpcConfig config, FakeUseCase useCase, dev.argus.ports.service.Tracing tracing, ServerInterceptor... extra) {
        name = InProcessServerBuilder.generateName();
        InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
        for (ServerInterceptor i : extra) {
            builder.intercept(i);
        }
        server = GrpcServer.start(builder, config, useCase, tracing);
        channel = InProcessChannelBuilder.forName(name).maxInboundMessageSize(32 << 20).build();
    }

    InProcess(FakeUseCase useCase) {
        this(GrpcConfig.defaults(), useCase);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }
}
