package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorSizingTest {
    private static ExecutorSettings sized(Settings s, Map<String, String> conf) {
        return ExecutorSizing.apply(ExecutorSettings.of(s), k -> Optional.ofNullable(conf.get(k)), 12);
    }

    private static String cpus(ExecutorSettings s) {
        return s.values().get(Key.CPUS.key());
    }

    @Test
    void sizesEngineThreadsToTheLocalMastersThreads() {
        assertThat(cpus(sized(Settings.defaults(), Map.of("spark.master", "local[2]")))).isEqualTo("2");
        assertThat(cpus(sized(Settings.defaults(), Map.of("spark.master", "local[3,4]")))).isEqualTo("3");
        assertThat(cpus(sized(Settings.defaults(), Map.of("spark.master", "local[*]")))).isEqualTo("12");
        assertThat(cpus(sized(Settings.defaults(), Map.of("spark.master", "local")))).isEqualTo("1");
        assertThat(cpus(sized(Settings.defaults(), Map.of("spark.master", "local-cluster[2, 3, 1024]")))).isEqualTo("3");
    }

    @Test
    void sizesEngineThreadsToSparkExecutorCoresOnAClusterAndSaysWhy() {
        ExecutorSettings s = sized(Settings.defaults(), Map.of("spark.master", "yarn", "spark.executor.cores", "8"));
        assertThat(cpus(s)).isEqualTo("8");
        assertThat(s.sources().get(Key.CPUS.key())).isEqualTo("spark.executor.cores");
        assertThat(s.config(Map.of()).inference().cpus()).isEqualTo(8);
    }

    @Test
    void leavesCpusToTheExecutorJvmWhenSparkDoesNotSay() {
        assertThat(sized(Settings.defaults(), Map.of("spark.master", "k8s://https://api:6443")).isDefault(Key.CPUS)).isTrue();
    }

    @Test
    void neverOverridesWhatTheUserSet() {
        Settings s = Settings.defaults().set(Key.CPUS, "5", "flag --set").set(Key.QUEUE_TIMEOUT_MS, "1000", "flag --set");
        ExecutorSettings sized = sized(s, Map.of("spark.master", "local[2]", "spark.executor.cores", "8"));
        assertThat(cpus(sized)).isEqualTo("5");
        assertThat(sized.values().get(Key.QUEUE_TIMEOUT_MS.key())).isEqualTo("1000");
    }

    @Test
    void letsTasksWaitTheirTurnForTheSharedEngine() {
        ExecutorSettings s = sized(Settings.defaults(), Map.of("spark.master", "local[2]"));
        assertThat(s.config(Map.of()).inference().queueTimeoutMs()).isEqualTo(600_000);
    }
}
