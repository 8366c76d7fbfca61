package dev.argus.app.serve;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.grpc.GrpcServer;
import dev.argus.otlp.OtlpSpanExporter;
import dev.argus.ports.service.Admission;
import dev.argus.ports.service.Tracing;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.argus.ports.out.ModelSource;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.SharedCpus;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running servers of one process and their shared lifecycle: started after the models are loaded, ready after
 * warm-up, closed in stages (not ready, drain, stop servers, release the engines). One model ({@code argus.model}) or
 * the models of a repository ({@code argus.repository}), all reachable through one {@link ModelCatalog}.
 */
public final class Servers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Servers.class.getName());

    private final AutoCloseable models;
    private final AutoCloseable spans;
    private final ModelCatalog catalog;
    private final Optional<RestServer> rest;
    private final Optional<GrpcServer> grpc;
    private final Optional<MetricsListener> metrics;
    private final AtomicBoolean ready;
    private final String restHost;
    private final java.time.Duration shutdownDelay;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Servers(AutoCloseable models, AutoCloseable spans, ModelCatalog catalog, Optional<RestServer> rest,
                    Optional<GrpcServer> grpc, Optional<MetricsListener> metrics, AtomicBoolean ready, String restHost,
                    java.time.Duration shutdownDelay) {
        this.models = models;
        this.spans = spans;
        this.metrics = metrics;
        this.catalog = catalog;
        this.shutdownDelay = shutdownDelay;
        this.restHost = restHost;
        this.rest = rest;
        this.grpc = grpc;
        this.ready = ready;
    }

    /** Loads the model, starts every enabled server (not ready yet), warms up, then reports ready. */
    public static Servers start(ArgusConfig config, ServingConfig serving, ModelSource.ProgressListener progress) {
        checkEnabled(serving);
        long t0 = System.nanoTime();
        Exporter spans = Exporter.start(serving);
        Argus argus;
        try {
            argus = Argus.start(config, progress, null, spans.tracing());
        } catch (RuntimeException e) {
            spans.close();
            throw e;
        }
        EngineFacts engines = new EngineFacts();
        engines.put(argus.config().model().name(), "1", EngineFacts.Facts.of(argus.config(), (System.nanoTime() - t0) / 1e9));
        AtomicBoolean warm = new AtomicBoolean();
        String cloudflareId = serving.rest().map(RestConfig::cloudflareModel).orElse("");
        // the configured name: a remote backend is not asked at start (it may be down; it is asked per request)
        ModelCatalog catalog = ModelCatalog.of(served(argus, argus.config().model().name(), "1",
                cloudflareId.isEmpty() ? List.of() : List.of(cloudflareId), true, warm));
        Runnable warmUp = () -> {
            WarmUp.run(argus.useCase(), serving.warmupRounds());
            warm.set(true);
        };
        return serve(argus, spans, catalog, engines, warmUp, null, java.util.Set.of(), serving, t0);
    }

    /**
     * Serves the models of the repository {@code settings} names ({@code argus.repository}): each model version is
     * loaded with the server's settings and its own; all share the CPUs ({@link SharedCpus}). A required model that
     * cannot be loaded stops the start, naming it and why; another is left out, its reason in the repository index
     * and the log. Then, per {@code argus.repository.control}, models are loaded and unloaded on request or as the
     * repository changes ({@link ModelManager}).
     */
    public static Servers startRepository(Settings settings, Map<String, String> env, ServingConfig serving,
                                          ModelSource.ProgressListener progress) {
        checkEnabled(serving);
        long t0 = System.nanoTime();
        ModelCatalog catalog = new ModelCatalog();
        EngineFacts engines = new EngineFacts();
        SharedCpus shared = new SharedCpus(ArgusConfig.from(settings, env).inference().cpus());
        Exporter spans = Exporter.start(serving);
        ModelManager manager = new ModelManager(settings, env, catalog, engines, shared, serving.warmupRounds(),
                serving.shutdownGrace(), spans.tracing());
        try {
            manager.loadAll();
        } catch (RuntimeException x) {
            manager.close();
            spans.close();
            throw x;
        }
        LOG.log(System.Logger.Level.INFO, "Serving {0} from {1}, sharing {2} CPU(s); model control {3}", catalog.describe(),
                settings.get(Key.REPOSITORY), shared.budget().cpus(), manager.mode().name().toLowerCase(java.util.Locale.ROOT));
        java.util.Set<String> adminTokens = new java.util.LinkedHashSet<>();
        for (String t : settings.get(Key.SERVER_ADMIN_TOKENS).split(",")) {
            if (!t.isBlank()) {
                adminTokens.add(t.strip());
            }
        }
        Servers servers = serve(manager, spans, catalog, engines, manager::warmUp, manager, adminTokens, serving, t0);
        manager.startPolling();
        return servers;
    }

    private static ServedModel served(Argus argus, String name, String version, List<String> aliases, boolean required,
                                      AtomicBoolean warm) {
        return new ServedModel(name, version, argus.useCase(), argus.tensorUseCase(), aliases, required, warm::get,
                argus.statistics());
    }

    private static void checkEnabled(ServingConfig serving) {
        if (serving.rest().isEmpty() && serving.grpc().isEmpty()) {
            throw ArgusException.configuration("No server is enabled: set argus.rest.enabled or argus.grpc.enabled to true.");
        }
    }

    /**
     * Starts the servers over {@code catalog} (not ready), warms up each model, then reports ready. Every server's
     * series, the engine stage's and the JVM's go to one registry, served on REST's {@code /metrics} and on the
     * metrics listener, whichever are enabled.
     *
     * @param models    what holds the models' engines, closed after the servers
     * @param spans     span export, closed last (the spans of the last requests go out)
     * @param engines   what each model version runs with, for the metrics
     * @param warmUp    warms up every model and marks each ready
     * @param control   model control for the REST server, or null
     */
    private static Servers serve(AutoCloseable models, Exporter spans, ModelCatalog catalog, EngineFacts engines, Runnable warmUp,
                                 dev.argus.ports.in.ModelControl control, java.util.Set<String> adminTokens,
                                 ServingConfig serving, long t0) {
        AtomicBoolean ready = new AtomicBoolean();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            // one bound over both APIs: each admits into its own limits and into this
            Admission.Shared together = new Admission.Shared(serving.maxConcurrentRequests(),
                    Key.SERVER_MAX_CONCURRENT_REQUESTS.key());
            PrometheusRegistry registry = new PrometheusRegistry();
            JvmMetrics.register(registry);
            InferenceMetrics.register(registry, catalog, engines);
            Optional<RestServer> rest = serving.rest().map(c -> new RestServer(c, catalog, ready::get, registry,
                    together, control, adminTokens, spans.tracing()).start());
            rest.ifPresent(started::add);
            Optional<GrpcServer> grpc = serving.grpc().map(c -> GrpcServer.start(c, catalog, together, control, adminTokens,
                    spans.tracing()));
            grpc.ifPresent(started::add);
            grpc.ifPresent(g -> GrpcMetrics.register(registry, g.metrics()::snapshot));
            Optional<MetricsListener> metrics = serving.metrics().map(c -> MetricsListener.start(c, registry));
            metrics.ifPresent(started::add);
            if (rest.isEmpty() && metrics.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "No /metrics: REST is disabled; set argus.metrics.port to serve it on a "
                        + "listener of its own");
            }
            Servers servers = new Servers(models, spans, catalog, rest, grpc, metrics, ready,
                    serving.rest().map(RestConfig::host).orElse(""), serving.shutdownDelay());
            warmUp.run();
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            rest.ifPresent(r -> r.recordModelLoadSeconds(loadSeconds));
            servers.setReady(true);
            LOG.log(System.Logger.Level.INFO, "Ready {0} ms after start", (long) (loadSeconds * 1000));
            return servers;
        } catch (RuntimeException e) {
            for (AutoCloseable c : started) {
                closeQuietly(c);
            }
            closeQuietly(models);
            closeQuietly(spans);
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

    /** The models served, by name and version. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The REST server, when enabled. */
    public Optional<RestServer> rest() {
        return rest;
    }

    /** The gRPC server, when enabled. */
    public Optional<GrpcServer> grpc() {
        return grpc;
    }

    /** The metrics listener's port ({@code argus.metrics.port}), when it is set. */
    public OptionalInt metricsPort() {
        return metrics.map(m -> OptionalInt.of(m.port())).orElse(OptionalInt.empty());
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        rest.ifPresent(r -> parts.add("REST on " + r.scheme() + "://" + restHost + ":" + r.port() + "/"));
        grpc.ifPresent(g -> parts.add("gRPC on " + g.config().host() + ":" + g.port()));
        metrics.ifPresent(m -> parts.add("metrics on " + m.describe()));
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
        metrics.ifPresent(Servers::closeQuietly); // scrapes see the drain to its end
        closeQuietly(models);
        closeQuietly(spans);
        stopped.countDown();
        LOG.log(System.Logger.Level.INFO, "Stopped");
    }

    /** Span export to the configured collector, or none; and the tracing every part of the server shares. */
    private record Exporter(Optional<OtlpSpanExporter> exporter, Tracing tracing) implements AutoCloseable {
        static Exporter start(ServingConfig serving) {
            Optional<OtlpSpanExporter> e = serving.otlp().map(OtlpSpanExporter::start);
            return new Exporter(e, e.<Tracing>map(Tracing::new).orElse(Tracing.OFF));
        }

        @Override
        public void close() {
            exporter.ifPresent(OtlpSpanExporter::close);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + c + " failed: " + e);
        }
    }
}
