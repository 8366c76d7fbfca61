package dev.argus.spark;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ModelSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classifiers of this JVM: one {@link Argus} per configuration, started through {@link Argus#start} on first use
 * by a task and shared by every later task of the JVM (an executor runs many tasks, several at once; the use case is
 * thread-safe and bounds its own engine calls). An executor has no composition root of its own, so this holder is
 * static by necessity, like an engine's process-wide environment.
 *
 * <p>Released by {@link #closeAll()}: on a cluster from a JVM shutdown hook (executors are stopped when the
 * application ends), in local mode by the job itself when it finishes (the driver is the only executor).
 */
final class ExecutorClassifiers {
    private static final System.Logger LOG = System.getLogger(ExecutorClassifiers.class.getName());
    private static final Map<ExecutorSettings, Loaded> LOADED = new HashMap<>();
    private static boolean hookInstalled;

    /** A started Argus and what it serves, as results and error rows report it. */
    record Loaded(Argus argus, ClassifyImageUseCase useCase, String backend, String model) {
    }

    private ExecutorClassifiers() {
    }

    /** The classifier for {@code settings}, started now if this JVM has none yet. */
    static synchronized Loaded get(ExecutorSettings settings) {
        Loaded loaded = LOADED.get(settings);
        if (loaded != null) {
            return loaded;
        }
        long t0 = System.nanoTime();
        ArgusConfig config = settings.config(System.getenv());
        LOG.log(System.Logger.Level.INFO, "Starting Argus on this executor: backend {0}, {1}, {2} CPUs", config.backend(),
                config.backend() == dev.argus.app.config.Backend.GRPC ? "Argus at " + settings.values().get(Key.GRPC_BACKEND_TARGET.key())
                        : "model " + config.modelLocation(),
                config.inference().cpus());
        Argus argus = Argus.start(config, ModelSource.ProgressListener.NONE);
        String backend = config.backend().id();
        String model = config.model().name();
        try {
            ModelInfo info = argus.useCase().model();
            backend = info.backend();
            model = info.model();
            LOG.log(System.Logger.Level.INFO, "Argus ready in {0} ms: {1}", (System.nanoTime() - t0) / 1_000_000, info.engine());
        } catch (ArgusException e) {
            // A remote backend that cannot answer GetModel yet: results still say who answered.
            LOG.log(System.Logger.Level.WARNING, "Argus started, model details unavailable: " + e.getMessage());
        }
        loaded = new Loaded(argus, argus.useCase(), backend, model);
        LOADED.put(settings, loaded);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "argus-spark-close"));
            hookInstalled = true;
        }
        return loaded;
    }

    /** Closes every classifier of this JVM (idempotent). */
    static void closeAll() {
        List<Loaded> toClose;
        synchronized (ExecutorClassifiers.class) {
            toClose = new ArrayList<>(LOADED.values());
            LOADED.clear();
        }
        for (Loaded l : toClose) {
            try {
                l.argus().close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Closing Argus failed: " + e);
            }
        }
    }

    /** How many classifiers this JVM holds (for tests). */
    static synchronized int count() {
        return LOADED.size();
    }
}
