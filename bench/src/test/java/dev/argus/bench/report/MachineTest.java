package dev.argus.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void describesThisMachine() {
        Machine m = Machine.here();
        assertThat(m.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.host()).isNotBlank();
        assertThat(m.cpuModel()).isNotBlank();
        assertThat(m.memoryBytes()).isPositive();
        assertThat(m.os()).contains(System.getProperty("os.name")).contains(System.getProperty("os.arch"));
        assertThat(m.java()).contains(String.valueOf(Runtime.version().feature()));
    }
}
