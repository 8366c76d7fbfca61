package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TensorRtConfigTest {
    private static final TensorRtConfig BASE = TensorRtConfig.defaults();

    @Test
    void defaultsAreFp32Profile1To32OneGibWorkspaceDeviceZero() {
        assertThat(BASE.precision()).isEqualTo(TensorRtConfig.Precision.FP32);
        assertThat(new int[] {BASE.minBatch(), BASE.optBatch(), BASE.maxBatch()}).containsExactly(1, 8, 32);
        assertThat(BASE.workspaceBytes()).isEqualTo(1L << 30);
        assertThat(BASE.deviceId()).isZero();
        assertThat(BASE.cacheDir()).endsWithRaw(Path.of("argus", "tensorrt"));
    }

    @Test
    void parsesPrecisionCaseInsensitively() {
        assertThat(TensorRtConfig.Precision.parse(" fp16 ")).isEqualTo(TensorRtConfig.Precision.FP16);
        assertThatThrownBy(() -> TensorRtConfig.Precision.parse("int8")).isInstanceOf(ArgusException.class)
                .hasMessageContaining("fp32 or fp16")
                .extracting(e -> ((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }

    @Test
    void rejectsABatchProfileOutOfOrder() {
        assertThatThrownBy(() -> BASE.withBatchProfile(4, 2, 8)).hasMessageContaining("min <= opt <= max");
        assertThatThrownBy(() -> BASE.withBatchProfile(0, 1, 8)).hasMessageContaining("min <= opt <= max");
        assertThatThrownBy(() -> BASE.withBatchProfile(1, 8, 4)).hasMessageContaining("min <= opt <= max");
        assertThatThrownBy(() -> BASE.withBatchProfile(1, 8, 2048)).hasMessageContaining("1024");
        assertThat(BASE.withBatchProfile(4, 4, 4).maxBatch()).isEqualTo(4);
    }

    @Test
    void rejectsWorkspaceAndDeviceOutOfRange() {
        assertThatThrownBy(() -> BASE.withWorkspace(1000)).hasMessageContaining("workspace");
        assertThatThrownBy(() -> BASE.withWorkspace((1L << 40) + 1)).hasMessageContaining("1 TiB");
        assertThatThrownBy(() -> BASE.withDevice(-1)).hasMessageContaining("device id");
        assertThatThrownBy(() -> BASE.withDevice(65)).hasMessageContaining("0 to 64");
        assertThat(BASE.withWorkspace(1L << 20).withDevice(64).deviceId()).isEqualTo(64);
    }

    @Test
    void eachWitherChangesItsSettingOnly() {
        TensorRtConfig c = BASE.withPrecision(TensorRtConfig.Precision.FP16).withBatchProfile(2, 4, 16)
                .withWorkspace(2L << 30).withCacheDir(Path.of("cache")).withDevice(1);
        assertThat(c).isEqualTo(new TensorRtConfig(TensorRtConfig.Precision.FP16, 2, 4, 16, 2L << 30, Path.of("cache"), 1));
    }

    @Test
    void requiresACacheDir() {
        assertThatThrownBy(() -> BASE.withCacheDir(null)).isInstanceOf(NullPointerException.class);
    }
}
