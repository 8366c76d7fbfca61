package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCacheKeyTest {
    static final DeviceInfo H100 = new DeviceInfo("NVIDIA H100 80GB HBM3", 9, 0, 13020, 13030, "11.2.0");

    @TempDir
    Path dir;

    private TensorRtConfig config(String content) throws IOException {
        Path model = dir.resolve("resnet 50.onnx");
        Files.writeString(model, content);
        return TensorRtConfig.defaults(model).withCacheDir(dir);
    }

    @Test
    void hashesTheModelBytes() throws IOException {
        EngineCacheKey key = EngineCacheKey.of(config("abc"), H100);
        assertThat(key.modelSha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(key.canonical()).contains("tensorrt=11.2.0", "gpu=NVIDIA H100 80GB HBM3", "cc=9.0", "precision=FP32",
                "profile=1/8/32");
    }

    @Test
    void fileNameIsReadableAndStable() throws IOException {
        EngineCacheKey key = EngineCacheKey.of(config("abc"), H100);
        assertThat(key.fileName()).matches("resnet_50-fp32-[0-9a-f]{20}\\.engine");
        assertThat(EngineCacheKey.of(config("abc"), H100).fileName()).isEqualTo(key.fileName());
    }

    @Test
    void everyIngredientChangesTheFileName() throws IOException {
        TensorRtConfig c = config("abc");
        String base = EngineCacheKey.of(c, H100).fileName();
        assertThat(EngineCacheKey.of(config("abd"), H100).fileName()).as("model bytes").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(c, new DeviceInfo(H100.name(), 9, 0, 13020, 13030, "11.3.0")).fileName())
                .as("TensorRT version").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(c, new DeviceInfo("NVIDIA L4", 9, 0, 13020, 13030, "11.2.0")).fileName())
                .as("GPU").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(c, new DeviceInfo(H100.name(), 8, 9, 13020, 13030, "11.2.0")).fileName())
                .as("compute capability").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(c.withPrecision(TensorRtConfig.Precision.FP16), H100).fileName())
                .as("precision").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(c.withBatchProfile(1, 8, 64), H100).fileName()).as("profile").isNotEqualTo(base);
    }

    @Test
    void driverVersionWorkersAndDeviceIdDoNotChangeTheKey() throws IOException {
        TensorRtConfig c = config("abc");
        EngineCacheKey base = EngineCacheKey.of(c, H100);
        assertThat(EngineCacheKey.of(c.withWorkers(5).withDevice(1), new DeviceInfo(H100.name(), 9, 0, 13050, 13030, "11.2.0")))
                .isEqualTo(base);
    }
}
