package dev.argus.app.serve;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.GrpcServer;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.out.FloatTensor;
import dev.argus.ports.service.Admission;
import dev.argus.rest.RawTensorInference;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
    private final Optional<RestServer> rest;
    private final Optional<GrpcServer> grpc;
    private final AtomicBoolean ready;
    private final String restHost;
    private final java.time.Duration shutdownDelay;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Servers(Argus argus, Optional<RestServer> rest, Optional<GrpcServer> grpc, AtomicBoolean ready, String restHost,
                    java.time.Duration shutdownDelay) {
        this.argus = argus;
        this.shutdownDelay = shutdownDelay;
        this.restHost = restHost;
        this.rest = rest;
        this.grpc = grpc;
        this.ready = ready;
    }

    /** Loads the model, starts every enabled server (not ready yet), warms up, then reports ready. */
    public static Servers start(ArgusConfig config, ServingConfig serving, ModelSource.ProgressListener progress) {
        if (serving.rest().isEmpty() && serving.grpc().isEmpty()) {
            throw ArgusException.configuration("No server is enabled: set argus.rest.enabled or argus.grpc.enabled to true.");
        }
        long t0 = System.nanoTime();
        Argus argus = Argus.start(config, progress);
        ClassifyImageUseCase useCase = argus.useCase();
        AtomicBoolean ready = new AtomicBoolean();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            // one bound over both APIs: each admits into its own limits and into this
            Admission.Shared together = new Admission.Shared(serving.maxConcurrentRequests(),
                    Key.SERVER_MAX_CONCURRENT_REQUESTS.key());
            Optional<RestServer> rest = serving.rest().map(c -> new RestServer(c, useCase, ready::get, new PrometheusRegistry(),
                    argus.tensorUseCase().map(Servers::rawTensors).orElse(null), together).start());
            rest.ifPresent(started::add);
            rest.ifPresent(r -> argus.statistics().ifPresent(st -> InferenceMetrics.register(r.registry(), useCase.model().model(), st)));
            Optional<GrpcServer> grpc = serving.grpc().map(c -> GrpcServer.start(c, useCase, together));
            grpc.ifPresent(started::add);
            Servers servers = new Servers(argus, rest, grpc, ready, serving.rest().map(RestConfig::host).orElse(""),
                    serving.shutdownDelay());
            WarmUp.run(useCase, serving.warmupRounds());
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            rest.ifPresent(r -> r.recordModelLoadSeconds(loadSeconds));
            servers.setReady(true);
            LOG.log(System.Logger.Level.INFO, "Ready {0} ms after start", (long) (loadSeconds * 1000));
            return servers;
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                closeQuietly(c);
            }
            argus.close();
            throw e;
        }
    }

    private static RawTensorInference rawTensors(InferTensorUseCase tensors) {
        return (data, shape, deadline) -> {
            FloatTensor out = tensors.infer(new FloatTensor(shape, data), deadline);
            return new RawTensorInference.Logits(out.data(), out.shape());
        };
    }

    private void setReady(boolean value) {
        ready.set(value);
        grpc.ifPresent(g -> g.setServing(value));
    }

    public boolean ready() {
        return ready.get();
    }

    /** The REST server, when enabled. */
    public Optional<RestServer> rest() {
        return rest;
    }

    /** The gRPC server, when enabled. */
    public Optional<GrpcServer> grpc() {
        return grpc;
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        rest.ifPresent(r -> parts.add("REST on " + r.scheme() + "://" + restHost + ":" + r.port() + "/"));
        grpc.ifPresent(g -> parts.add("gRPC on " + g.config().host() + ":" + g.port()));
        return String.join(", ", parts);
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /**
     * Staged shutdown: not ready first (serving on for the shutdown delay), then each server refuses new requests and
     * drains within its grace, then the engine is released.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        setReady(false);
        if (!shutdownDelay.isZero()) {
            // still serving, but not ready: load balancers and Kubernetes endpoints stop sending new requests
            LOG.log(System.Logger.Level.INFO, "Shutting down: not ready; serving {0} ms more (argus.server.shutdown-delay-ms)",
                    shutdownDelay.toMillis());
            try {
                Thread.sleep(shutdownDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.log(System.Logger.Level.INFO, "Shutting down: refusing new requests, draining in-flight ones");
        rest.ifPresent(Servers::closeQuietly);
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
