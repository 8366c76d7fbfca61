package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DjlConfigTest {
    private static final Path C = Path.of("cache");

    @Test
    void defaultsAreCpuTheEnginesThreadsAndTheBundledNatives() {
        DjlConfig c = DjlConfig.defaults(C);
        assertThat(c.device()).isEqualTo(DjlConfig.Device.CPU);
        assertThat(c.gpuId()).isZero();
        assertThat(c.intraOpThreads()).isZero();
        assertThat(c.interOpThreads()).isEqualTo(1);
        assertThat(c.nativesDir()).isEmpty();
        assertThat(c.cacheDir()).isEqualTo(C);
    }

    @Test
    void eachWitherChangesItsSettingOnly() {
        DjlConfig c = DjlConfig.defaults(C).withThreads(3, 2).withDevice(DjlConfig.Device.GPU, 1)
                .withCacheDir(Path.of("other")).withNativesDir(Path.of("n"));
        assertThat(c).isEqualTo(new DjlConfig(3, 2, DjlConfig.Device.GPU, 1, Path.of("other"), Optional.of(Path.of("n"))));
        assertThat(c.withNativesDir(null).nativesDir()).isEmpty();
    }

    @Test
    void parsesDevicesByArgusNames() {
        assertThat(DjlConfig.Device.parse("gpu")).isEqualTo(DjlConfig.Device.GPU);
        assertThat(DjlConfig.Device.parse("cuda")).isEqualTo(DjlConfig.Device.GPU);
        assertThatThrownBy(() -> DjlConfig.Device.parse("tpu")).hasMessageContaining("cpu or gpu");
    }

    @Test
    void validatesRangesAsConfigurationErrors() {
        DjlConfig c = DjlConfig.defaults(C);
        assertThatThrownBy(() -> c.withThreads(-1, 1)).hasMessageContaining("intra-op")
                .extracting(e -> ((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThatThrownBy(() -> c.withThreads(1025, 1)).hasMessageContaining("intra-op");
        assertThatThrownBy(() -> c.withThreads(0, 0)).hasMessageContaining("inter-op");
        assertThatThrownBy(() -> c.withDevice(DjlConfig.Device.GPU, -1)).hasMessageContaining("GPU index");
        assertThatThrownBy(() -> c.withDevice(DjlConfig.Device.GPU, 65)).hasMessageContaining("0 to 64");
        assertThatThrownBy(() -> c.withCacheDir(null)).isInstanceOf(NullPointerException.class);
    }
}
