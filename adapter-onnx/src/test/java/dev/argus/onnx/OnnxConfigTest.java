package dev.argus.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

class OnnxConfigTest {

    @Test
    void defaultsAreCpuAllOptimisationsOrtsThreadDefaults() {
        OnnxConfig c = OnnxConfig.defaults();
        assertThat(c.intraOpThreads()).isZero();
        assertThat(c.interOpThreads()).isEqualTo(1);
        assertThat(c.optimization()).isEqualTo(OnnxConfig.Optimization.ALL);
        assertThat(c.device()).isEqualTo(OnnxConfig.Device.CPU);
        assertThat(c.cudaDeviceId()).isZero();
    }

    @Test
    void eachWitherChangesItsSettingOnly() {
        OnnxConfig c = OnnxConfig.defaults().withThreads(3).withInterOpThreads(2)
                .withOptimization(OnnxConfig.Optimization.BASIC).withDevice(OnnxConfig.Device.CUDA, 1);
        assertThat(c).isEqualTo(new OnnxConfig(3, 2, OnnxConfig.Optimization.BASIC, OnnxConfig.Device.CUDA, 1));
    }

    @Test
    void refusesValuesOutOfRangeAsConfigurationErrors() {
        OnnxConfig d = OnnxConfig.defaults();
        assertThatThrownBy(() -> d.withThreads(-1)).hasMessageContaining("intra-op").hasMessageContaining("-1")
                .extracting(e -> ((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThatThrownBy(() -> d.withThreads(1025)).hasMessageContaining("intra-op");
        assertThatThrownBy(() -> d.withInterOpThreads(0)).hasMessageContaining("inter-op");
        assertThatThrownBy(() -> d.withDevice(OnnxConfig.Device.CUDA, -1)).hasMessageContaining("CUDA device");
        assertThatThrownBy(() -> d.withDevice(OnnxConfig.Device.CUDA, 65)).hasMessageContaining("0 to 64");
        assertThatThrownBy(() -> d.withOptimization(null)).isInstanceOf(NullPointerException.class);
        assertThat(d.withThreads(1024).intraOpThreads()).isEqualTo(1024);
    }

    @Test
    void parsesItsChoicesCaseInsensitivelyAndNamesTheValidOnes() {
        assertThat(OnnxConfig.Device.parse(" CUDA ")).isEqualTo(OnnxConfig.Device.CUDA);
        assertThat(OnnxConfig.Optimization.parse("extended")).isEqualTo(OnnxConfig.Optimization.EXTENDED);
        assertThatThrownBy(() -> OnnxConfig.Device.parse("tpu")).hasMessageContaining("cpu or cuda");
        assertThatThrownBy(() -> OnnxConfig.Optimization.parse("max")).hasMessageContaining("extended");
    }
}
