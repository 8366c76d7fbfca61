package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.bench.run.BackendSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerJvmTest {
    private static final List<String> KNOWN = List.of("onnx", "djl-pytorch", "djl-tensorflow");

    private static Map<String, String> workerEnv(Map<String, String> inherited, String backend) {
        Map<String, String> env = new HashMap<>(inherited);
        WorkerJvm.environment(env, Map.of(), BackendSpec.parseList(backend, KNOWN).get(0));
        return env;
    }

    @Test
    void workersRunTensorFlowWithOneDnnOffAndOrtTelemetryOffByDefault() {
        Map<String, String> env = workerEnv(Map.of("PATH", "/usr/bin"), "djl-tensorflow=tf/");
        assertThat(env).containsEntry("TF_ENABLE_ONEDNN_OPTS", "0").containsEntry("ORT_DISABLE_TELEMETRY", "1")
                .containsEntry("PATH", "/usr/bin");
    }

    @Test
    void aValueTheUserSetIsKept() {
        assertThat(workerEnv(Map.of("TF_ENABLE_ONEDNN_OPTS", "1"), "djl-tensorflow=tf/")).containsEntry("TF_ENABLE_ONEDNN_OPTS", "1");
    }

    @Test
    void theBackendsOwnEnvironmentWinsAndCanRemoveAVariable() {
        Map<String, String> env = workerEnv(Map.of(), "djl-tensorflow{TF_ENABLE_ONEDNN_OPTS=;ONEDNN_MAX_CPU_ISA=AVX2}=tf/");
        assertThat(env).doesNotContainKey("TF_ENABLE_ONEDNN_OPTS").containsEntry("ONEDNN_MAX_CPU_ISA", "AVX2");
    }
}
