package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TensorflowCpuGuardTest {
    private static TensorflowCpuGuard guard(String cpuinfo, Map<String, String> env) {
        return new TensorflowCpuGuard(CpuDescription.parse(cpuinfo), env);
    }

    @Test
    void refusesZen5WithOneDnnOnSayingWhatToSet() {
        TensorflowCpuGuard g = guard(CpuSamples.ZEN5, Map.of());
        assertThat(g.affectedCpu()).isTrue();
        assertThatThrownBy(g::check)
                .isInstanceOf(ArgusException.class)
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("TF_ENABLE_ONEDNN_OPTS=0")
                .hasMessageContaining("cpu family 26")
                .hasMessageContaining("spark.executorEnv.TF_ENABLE_ONEDNN_OPTS=0")
                .hasMessageContaining("now it is unset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "yes", ""})
    void refusesZen5WhenOneDnnIsExplicitlyOnOrTheValueIsNotFalse(String value) {
        assertThatThrownBy(guard(CpuSamples.ZEN5, Map.of("TF_ENABLE_ONEDNN_OPTS", value))::check)
                .hasMessageContaining("now it is '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "FALSE", " 0 "})
    void startsOnZen5WithOneDnnOff(String value) {
        TensorflowCpuGuard g = guard(CpuSamples.ZEN5, Map.of("TF_ENABLE_ONEDNN_OPTS", value));
        assertThatCode(g::check).doesNotThrowAnyException();
        assertThat(g.oneDnnMode()).startsWith("oneDNN off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AVX2", "avx2", "AVX", "SSE41"})
    void startsOnZen5WithOneDnnCappedBelowAvx512(String isa) {
        assertThatCode(guard(CpuSamples.ZEN5, Map.of("ONEDNN_MAX_CPU_ISA", isa))::check).doesNotThrowAnyException();
        assertThatCode(guard(CpuSamples.ZEN5, Map.of("DNNL_MAX_CPU_ISA", isa))::check).doesNotThrowAnyException();
        assertThat(guard(CpuSamples.ZEN5, Map.of("ONEDNN_MAX_CPU_ISA", isa)).oneDnnMode()).isEqualTo("oneDNN on, capped at " + isa.toUpperCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AVX512_CORE", "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "ALL", "DEFAULT"})
    void refusesZen5WithAnIsaCapThatStillAllowsAvx512(String isa) {
        // measured: AVX512_CORE, _VNNI and _BF16 still give wrong answers on Zen 5
        assertThatThrownBy(guard(CpuSamples.ZEN5, Map.of("ONEDNN_MAX_CPU_ISA", isa))::check)
                .hasMessageContaining("ONEDNN_MAX_CPU_ISA is '" + isa + "'");
    }

    @Test
    void startsWithOneDnnOnWhereItAnswersRight() {
        for (String cpu : new String[] {CpuSamples.ZEN3, CpuSamples.ZEN4, CpuSamples.ZEN5_WITHOUT_AVX512, CpuSamples.INTEL_SAPPHIRE_RAPIDS, ""}) {
            TensorflowCpuGuard g = guard(cpu, Map.of());
            assertThat(g.affectedCpu()).as(cpu).isFalse();
            assertThatCode(g::check).doesNotThrowAnyException();
            assertThat(g.oneDnnMode()).isEqualTo("oneDNN on");
        }
    }

    @Test
    void laterAmdFamiliesWithAvx512AreTreatedAsAffectedUntilShownOtherwise() {
        String zen6 = CpuSamples.ZEN5.replace("cpu family\t: 26", "cpu family\t: 27");
        assertThat(guard(zen6, Map.of()).affectedCpu()).isTrue();
    }
}
