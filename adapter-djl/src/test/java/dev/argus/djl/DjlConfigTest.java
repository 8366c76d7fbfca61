package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.TensorLayout;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DjlConfigTest {
    private static final Path M = Path.of("m.pt");
    private static final Path C = Path.of("cache");

    @Test
    void defaultsAreCpuNchw224WithNamesFromTheModel() {
        DjlConfig c = DjlConfig.defaults(DjlConfig.Engine.PYTORCH, M, C);
        assertThat(c.device()).isEqualTo(DjlConfig.Device.CPU);
        assertThat(c.layout()).isEqualTo(TensorLayout.NCHW);
        assertThat(c.inputSize()).isEqualTo(224);
        assertThat(c.inputName()).isEmpty();
        assertThat(c.outputName()).isEmpty();
        assertThat(c.intraOpThreads()).isZero();
        assertThat(c.interOpThreads()).isEqualTo(1);
        assertThat(c.nativesDir()).isEmpty();
        assertThat(c.cacheDir()).isEqualTo(C);
    }

    @Test
    void parsesEnginesAndDevicesByArgusNames() {
        assertThat(DjlConfig.Engine.parse("djl-pytorch")).isEqualTo(DjlConfig.Engine.PYTORCH);
        assertThat(DjlConfig.Engine.parse("TensorFlow")).isEqualTo(DjlConfig.Engine.TENSORFLOW);
        assertThat(DjlConfig.Engine.TENSORFLOW.backend()).isEqualTo("djl-tensorflow");
        assertThat(DjlConfig.Device.parse("gpu")).isEqualTo(DjlConfig.Device.GPU);
        assertThat(DjlConfig.Device.parse("cuda")).isEqualTo(DjlConfig.Device.GPU);
        assertThatThrownBy(() -> DjlConfig.Engine.parse("mxnet")).isInstanceOf(ArgusException.class)
                .hasMessageContaining("pytorch or tensorflow");
        assertThatThrownBy(() -> DjlConfig.Device.parse("tpu")).hasMessageContaining("cpu or gpu");
    }

    @Test
    void validatesRanges() {
        DjlConfig c = DjlConfig.defaults(DjlConfig.Engine.PYTORCH, M, C);
        assertThatThrownBy(() -> c.withThreads(-1, 1)).hasMessageContaining("intra-op");
        assertThatThrownBy(() -> c.withThreads(0, 0)).hasMessageContaining("inter-op");
        assertThatThrownBy(() -> c.withLayout(TensorLayout.NHWC, 0)).hasMessageContaining("input size");
        assertThatThrownBy(() -> c.withDevice(DjlConfig.Device.GPU, -1)).hasMessageContaining("GPU id");
        assertThat(c.withNativesDir(Path.of("n")).nativesDir()).isEqualTo(Optional.of(Path.of("n")));
    }
}
