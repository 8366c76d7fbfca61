package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {

    @Test
    void executorsGetTensorFlowsOneDnnOffAndOrtTelemetryOff() {
        assertThat(ExecutorEnvironment.settings(key -> null)).containsExactly(
                Map.entry("spark.executorEnv.ORT_DISABLE_TELEMETRY", "1"),
                Map.entry("spark.executorEnv.TF_ENABLE_ONEDNN_OPTS", "0"));
    }

    @Test
    void whatTheUserConfiguredIsLeftAlone() {
        Map<String, String> conf = Map.of("spark.executorEnv.TF_ENABLE_ONEDNN_OPTS", "1");
        assertThat(ExecutorEnvironment.settings(conf::get)).containsOnlyKeys("spark.executorEnv.ORT_DISABLE_TELEMETRY");
    }
}
