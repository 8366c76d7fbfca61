package dev.argus.app.bench;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.app.wiring.Argus;
import dev.argus.bench.run.BackendSpec;
import dev.argus.bench.run.BenchTarget;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.ports.out.ModelSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts a benchmarked backend the way {@code argus serve} would: the user's configuration with the backend (and its
 * model, target or URL) from the benchmark's list on top.
 */
final class ArgusBenchTargets implements BenchTarget.Factory {
    private static final String SOURCE = "argus bench --backends";
    private final Supplier<Settings> baseSettings;
    private final Map<String, String> env;

    ArgusBenchTargets(Supplier<Settings> baseSettings, Map<String, String> env) {
        this.baseSettings = baseSettings;
        this.env = env;
    }

    /** The configuration a backend of the list runs with. */
    ArgusConfig config(BackendSpec spec) {
        Settings s = baseSettings.get();
        s.set(Key.BACKEND, spec.backend(), SOURCE);
        if (spec.name().equals(BackendSpec.REST)) {
            s.set(Key.CLOUDFLARE_BASE_URL, spec.value().orElseThrow(), SOURCE);
            if (s.get(Key.CLOUDFLARE_ACCOUNT_ID).isBlank() && env.get("CLOUDFLARE_ACCOUNT_ID") == null) {
                s.set(Key.CLOUDFLARE_ACCOUNT_ID, "argus-bench", SOURCE + " (rest: any account id)");
            }
            if (s.get(Key.CLOUDFLARE_API_TOKEN).isBlank() && env.get("CLOUDFLARE_API_TOKEN") == null) {
                s.set(Key.CLOUDFLARE_API_TOKEN, "argus-bench", SOURCE + " (rest: any token unless the server checks)");
            }
        } else if (spec.backend().equals("grpc")) {
            s.set(Key.GRPC_BACKEND_TARGET, spec.value().orElseThrow(), SOURCE);
        } else if (!spec.remote()) {
            spec.value().ifPresent(model -> s.set(Key.MODEL, model, SOURCE));
        }
        return ArgusConfig.from(s, env);
    }

    @Override
    public BenchTarget open(BackendSpec spec) {
        ArgusConfig config = config(spec);
        Argus argus = Argus.start(config, ModelSource.ProgressListener.NONE);
        Optional<InferenceEngine> engine = argus.engine();
        Optional<BenchTarget.Preprocessing> pre = argus.preprocessor()
                .map(p -> new BenchTarget.Preprocessing(p, argus.config().model().preprocess())); // as described once local
        return new BenchTarget() {
            @Override
            public ImageClassifier classifier() {
                return argus.classifier();
            }

            @Override
            public Optional<InferenceEngine> engine() {
                return engine;
            }

            @Override
            public Optional<Preprocessing> preprocessing() {
                return pre;
            }

            @Override
            public Optional<String> sizing() {
                if (engine.isEmpty()) {
                    return Optional.empty();
                }
                ArgusConfig.Inference i = argus.config().inference();
                String source = i.sizing().source();
                String from = source.startsWith("argus tune") ? "argus tune" : source.startsWith("configuration") ? "configuration" : "sizing rule";
                return Optional.of("sized " + i.workers() + " worker(s) x " + i.threadsPerWorker() + " thread(s), max-batch "
                        + i.maxBatch() + " for " + i.cpus() + " CPU(s), by " + from);
            }

            @Override
            public void close() {
                argus.close();
            }
        };
    }
}
