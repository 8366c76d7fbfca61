package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TensorRtConfigTest {
    private static final TensorRtConfig BASE = TensorRtConfig.defaults(Path.of("m.onnx"));

    @Test
    void defaultsAreFp32Profile1To32OneGibWorkspaceDeviceZeroTwoWorkers() {
        assertThat(BASE.precision()).isEqualTo(TensorRtConfig.Precision.FP32);
        assertThat(new int[] {BASE.minBatch(), BASE.optBatch(), BASE.maxBatch()}).containsExactly(1, 8, 32);
        assertThat(BASE.workspaceBytes()).isEqualTo(1L << 30);
        assertThat(BASE.deviceId()).isZero();
        assertThat(BASE.workers()).isEqualTo(2);
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
    void rejectsWorkspaceDeviceAndWorkersOutOfRange() {
        assertThatThrownBy(() -> BASE.withWorkspace(1000)).hasMessageContaining("workspace");
        assertThatThrownBy(() -> BASE.withDevice(-1)).hasMessageContaining("device id");
        assertThatThrownBy(() -> BASE.withWorkers(0)).hasMessageContaining("workers");
        assertThatThrownBy(() -> BASE.withWorkers(65)).hasMessageContaining("workers");
    }

    @Test
    void requiresModelAndCacheDir() {
        assertThatThrownBy(() -> BASE.withCacheDir(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TensorRtConfig.defaults(null)).isInstanceOf(NullPointerException.class);
    }
}
