package dev.argus.app.serve;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.GrpcServer;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.out.ModelSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running servers of one process and their shared lifecycle: started after the model is loaded, ready after
 * warm-up, closed in stages (not ready, drain, stop servers, release the engine).
 */
public final class Servers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Servers.class.getName());

    private final Argus argus;
    private final Optional<GrpcServer> grpc;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Servers(Argus argus, Optional<GrpcServer> grpc) {
        this.argus = argus;
        this.grpc = grpc;
    }

    /** Loads the model, starts every enabled server (not ready yet), warms up, then reports ready. */
    public static Servers start(ArgusConfig config, ServingConfig serving, ModelSource.ProgressListener progress) {
        long t0 = System.nanoTime();
        Argus argus = Argus.start(config, progress);
        ClassifyImageUseCase useCase = argus.useCase();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Optional<GrpcServer> grpc = serving.grpc().map(c -> GrpcServer.start(c, useCase));
            grpc.ifPresent(started::add);
            if (grpc.isEmpty()) {
                throw ArgusException.configuration("No server is enabled: set argus.grpc.enabled=true.");
            }
            Servers servers = new Servers(argus, grpc);
            WarmUp.run(useCase, serving.warmupRounds());
            servers.setReady(true);
            LOG.log(System.Logger.Level.INFO, "Ready {0} ms after start", (System.nanoTime() - t0) / 1_000_000);
            return servers;
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                closeQuietly(c);
            }
            argus.close();
            throw e;
        }
    }

    private void setReady(boolean value) {
        ready.set(value);
        grpc.ifPresent(g -> g.setServing(value));
    }

    public boolean ready() {
        return ready.get();
    }

    /** The gRPC server, when enabled. */
    public Optional<GrpcServer> grpc() {
        return grpc;
    }

    public String describe() {
        return grpc.map(g -> "gRPC on " + g.config().host() + ":" + g.port()).orElse("no gRPC");
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Staged shutdown: not ready first, then each server drains within its grace, then the engine is released. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Shutting down: not ready, draining in-flight requests");
        setReady(false);
        grpc.ifPresent(Servers::closeQuietly);
        argus.close();
        stopped.countDown();
        LOG.log(System.Logger.Level.INFO, "Stopped");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + c + " failed: " + e);
        }
    }
}
