package dev.argus.app.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
    @Test
    void avx512VnniOrAvxVnniCountsAsVnni() {
        assertThat(CpuFeatures.parse(List.of("model name\t: AMD EPYC 9R14", "flags\t\t: fpu avx2 avx512f avx512_vnni")).vnni()).isTrue();
        assertThat(CpuFeatures.parse(List.of("flags\t\t: fpu avx2 avx_vnni")).vnni()).isTrue();
    }

    @Test
    void zen3HasNone() {
        CpuFeatures f = CpuFeatures.parse(List.of("cpu family\t: 25", "model name\t: AMD EPYC 7R13 Processor",
                "flags\t\t: fpu sse4_2 avx avx2 fma vaes vpclmulqdq"));
        assertThat(f.vnni()).isFalse();
        assertThat(f.model()).isEqualTo("AMD EPYC 7R13 Processor");
    }
}
