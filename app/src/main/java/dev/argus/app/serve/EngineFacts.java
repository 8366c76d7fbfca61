package dev.argus.app.serve;

import dev.argus.app.config.ArgusConfig;
import dev.argus.ports.in.ServedModel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each served model version runs with and how long it took to load, for the metrics: recorded when a version is
 * put into service, dropped when it is taken out. Thread-safe.
 */
final class EngineFacts {
    /**
     * @param backend          {@code onnx}, {@code djl-pytorch}, ..., {@code grpc}, {@code cloudflare}
     * @param device           {@code cpu}, {@code cuda:0}, ... or {@code remote}
     * @param sizing           where workers x threads x max-batch came from: {@code tuned} (argus tune),
     *                         {@code configured} (sizing keys set) or {@code rule}; {@code none} for a remote backend
     * @param workers          engine calls at once (0 for a remote backend)
     * @param threadsPerWorker threads per engine call (0 for a remote backend)
     * @param maxBatch         most images per engine call (0 for a remote backend)
     * @param loadSeconds      fetching (when not cached) and loading it, before its warm-up
     */
    record Facts(String backend, String device, String sizing, int workers, int threadsPerWorker, int maxBatch,
                 double loadSeconds) {
        static Facts of(ArgusConfig config, double loadSeconds) {
            if (config.backend().remote()) {
                return new Facts(config.backend().id(), config.engineDevice(), "none", 0, 0, 0, loadSeconds);
            }
            ArgusConfig.Inference i = config.inference();
            return new Facts(config.backend().id(), config.engineDevice(), sizing(i.sizing().source()), i.workers(),
                    i.threadsPerWorker(), i.maxBatch(), loadSeconds);
        }

        private static String sizing(String source) {
            if (source.startsWith("argus tune")) {
                return "tuned";
            }
            return source.startsWith("configuration") ? "configured" : "rule";
        }

        boolean local() {
            return workers > 0;
        }
    }

    private final Map<String, Facts> byVersion = new ConcurrentHashMap<>();

    void put(String model, String version, Facts facts) {
        byVersion.put(key(model, version), facts);
    }

    void remove(String model, String version) {
        byVersion.remove(key(model, version));
    }

    Optional<Facts> of(ServedModel model) {
        return Optional.ofNullable(byVersion.get(key(model.name(), model.version())));
    }

    private static String key(String model, String version) {
        return model + "\u0000" + version;
    }
}
