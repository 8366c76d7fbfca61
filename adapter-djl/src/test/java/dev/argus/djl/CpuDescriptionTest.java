package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuDescriptionTest {

    @Test
    void readsVendorFamilyNameAndFlagsOfTheFirstProcessor() {
        CpuDescription cpu = CpuDescription.parse(CpuSamples.ZEN5);
        assertThat(cpu.vendor()).isEqualTo("AuthenticAMD");
        assertThat(cpu.family()).isEqualTo(26);
        assertThat(cpu.modelName()).isEqualTo("AMD EPYC");
        assertThat(cpu.has("avx512f")).isTrue();
        assertThat(cpu.has("none")).isFalse(); // the second processor's block is not read
        assertThat(cpu.summary()).isEqualTo("AMD EPYC (AuthenticAMD, cpu family 26, AVX-512)");
    }

    @Test
    void anUnreadableOrEmptyDescriptionIsUnknownNotAnError() {
        CpuDescription cpu = CpuDescription.parse("");
        assertThat(cpu.family()).isEqualTo(-1);
        assertThat(cpu.amd()).isFalse();
        assertThat(cpu.summary()).contains("unknown CPU").contains("cpu family unknown");
        assertThat(CpuDescription.parse("cpu family\t: twenty-six\n").family()).isEqualTo(-1);
    }

    @Test
    void describesTheMachineItRunsOn() {
        CpuDescription here = CpuDescription.current();
        // On Linux the kernel names a vendor and a family; elsewhere the description is UNKNOWN.
        assertThat(here.family() >= 0 || here.equals(CpuDescription.UNKNOWN)).isTrue();
    }
}
