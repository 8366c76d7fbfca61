package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
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

    private static final TensorRtConfig C = TensorRtConfig.defaults();

    /** A small self-contained ONNX model whose bytes depend on {@code content} (the graph's name). */
    private Path model(String content) throws IOException {
        Path model = dir.resolve("resnet 50.onnx");
        Files.write(model, TinyOnnx.model(dev.argus.onnxmodel.proto.OnnxSubset.GraphProto.newBuilder().setName(content)
                .addInput(TinyOnnx.value("x", OnnxTypes.FLOAT, 1, 2)).addOutput(TinyOnnx.value("y", OnnxTypes.FLOAT, 1, 2))
                .addNode(TinyOnnx.node("Relu", "r", TinyOnnx.in("x"), "y"))).toByteArray());
        return model;
    }

    @Test
    void hashesTheModelBytes() throws Exception {
        Path m = model("abc");
        EngineCacheKey key = EngineCacheKey.of(m, C, H100);
        assertThat(key.modelSha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(m))));
        assertThat(key.canonical()).contains("tensorrt=11.2.0", "gpu=NVIDIA H100 80GB HBM3", "cc=9.0", "precision=FP32",
                "profile=1/8/32");
    }

    @Test
    void fileNameIsReadableAndStable() throws IOException {
        EngineCacheKey key = EngineCacheKey.of(model("abc"), C, H100);
        assertThat(key.fileName()).matches("resnet_50-fp32-[0-9a-f]{20}\\.engine");
        assertThat(EngineCacheKey.of(model("abc"), C, H100).fileName()).isEqualTo(key.fileName());
    }

    @Test
    void everyIngredientChangesTheFileName() throws IOException {
        Path m = model("abc");
        String base = EngineCacheKey.of(m, C, H100).fileName();
        assertThat(EngineCacheKey.of(model("abd"), C, H100).fileName()).as("model bytes").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C, new DeviceInfo(H100.name(), 9, 0, 13020, 13030, "11.3.0")).fileName())
                .as("TensorRT version").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C, new DeviceInfo("NVIDIA L4", 9, 0, 13020, 13030, "11.2.0")).fileName())
                .as("GPU").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C, new DeviceInfo(H100.name(), 8, 9, 13020, 13030, "11.2.0")).fileName())
                .as("compute capability").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C.withPrecision(TensorRtConfig.Precision.FP16), H100).fileName())
                .as("precision").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C.withBatchProfile(1, 8, 64), H100).fileName()).as("profile").isNotEqualTo(base);
        assertThat(EngineCacheKey.of(m, C.withWorkspace(2L << 30), H100).fileName()).as("workspace").isNotEqualTo(base);
    }

    @Test
    void driverVersionCacheDirAndDeviceIdDoNotChangeTheKey() throws IOException {
        Path m = model("abc");
        EngineCacheKey base = EngineCacheKey.of(m, C, H100);
        assertThat(EngineCacheKey.of(m, C.withDevice(1).withCacheDir(dir.resolve("elsewhere")), new DeviceInfo(H100.name(), 9, 0, 13050, 13030, "11.2.0")))
                .isEqualTo(base);
    }

    @Test
    void externalWeightFilesArePartOfTheModelHash() throws IOException {
        Path model = dir.resolve("big.onnx");
        Files.write(model, ExternalDataTest.modelWithExternalWeights("big.weights").toByteArray());
        Files.writeString(dir.resolve("big.weights"), "weights v1");
        EngineCacheKey v1 = EngineCacheKey.of(model, C, H100);
        assertThat(v1.modelSha256()).as("not just the .onnx file").isNotEqualTo(EngineCacheKey.sha256(model));
        assertThat(EngineCacheKey.of(model, C, H100)).isEqualTo(v1);
        Files.writeString(dir.resolve("big.weights"), "weights v2");
        assertThat(EngineCacheKey.of(model, C, H100).fileName()).as("changed external weights").isNotEqualTo(v1.fileName());
    }

    @Test
    void aMissingExternalWeightFileIsNamed() throws IOException {
        Path model = dir.resolve("big.onnx");
        Files.write(model, ExternalDataTest.modelWithExternalWeights("gone.weights").toByteArray());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineCacheKey.of(model, C, H100))
                .isInstanceOf(dev.argus.domain.ArgusException.class)
                .hasMessageContaining("gone.weights").hasMessageContaining("does not exist");
    }

    @Test
    void aFileThatIsNotABinaryOnnxModelIsKeyedByItsBytesAlone() throws Exception {
        Path model = dir.resolve("text.onnx");
        Files.writeString(model, "ir_version: 8\ngraph { name: \"g\" }\n");
        EngineCacheKey key = EngineCacheKey.of(model, C, H100);
        assertThat(key.modelSha256()).isEqualTo(EngineCacheKey.sha256(model));
    }
}
