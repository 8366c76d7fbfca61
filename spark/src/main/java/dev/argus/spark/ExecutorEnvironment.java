package dev.argus.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Environment variables the engines read natively when their libraries load, which Argus's launcher sets for its own
 * processes and which executors must have too: {@code ORT_DISABLE_TELEMETRY=1} (ONNX Runtime crashes without
 * {@code /etc/machine-id} otherwise) and {@code TF_ENABLE_ONEDNN_OPTS=0} (TensorFlow 2.16.1's oneDNN answers wrong on
 * AMD Zen 5). Given to Spark as {@code spark.executorEnv.*} where the user's configuration does not set them. In local
 * mode the executors are the driver's JVM, whose environment is already fixed: there the TensorFlow engine's own guard
 * refuses to start on an affected CPU, saying what to export.
 */
final class ExecutorEnvironment {
    static final Map<String, String> DEFAULTS = Map.of("ORT_DISABLE_TELEMETRY", "1", "TF_ENABLE_ONEDNN_OPTS", "0");

    private ExecutorEnvironment() {
    }

    /** The {@code spark.executorEnv.*} settings to add, given the Spark configuration already set ({@code conf}). */
    static Map<String, String> settings(Function<String, String> conf) {
        Map<String, String> out = new LinkedHashMap<>();
        DEFAULTS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String key = "spark.executorEnv." + e.getKey();
            if (conf.apply(key) == null) {
                out.put(key, e.getValue());
            }
        });
        return out;
    }
}
