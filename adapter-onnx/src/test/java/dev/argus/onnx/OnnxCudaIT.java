package dev.argus.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.argus.ports.model.FloatTensor;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime on CUDA (build with {@code -Pgpu}, run on a machine with an NVIDIA GPU). Skipped, with the reason
 * printed, where either is missing: a skip here is not coverage of the CUDA path.
 */
@Tag("gpu")
class OnnxCudaIT {

    @BeforeAll
    static void requireGpu() {
        String reason = null;
        if (!Files.exists(Path.of("/dev/nvidiactl"))) {
            reason = "no NVIDIA device (/dev/nvidiactl absent)";
        } else if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            reason = "this is the CPU build of ONNX Runtime (build with -Pgpu)";
        }
        if (reason != null) {
            System.out.println("SKIPPED OnnxCudaIT: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Test
    void cudaReproducesPyTorchLogitsWithinFp32Tolerance() {
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        float[] expected = Tensors.readF32(TestModels.require("resnet50-reference-logits.bin"));
        OnnxConfig cfg = OnnxConfig.defaults().withDevice(OnnxConfig.Device.CUDA, 0);
        try (OnnxInferenceEngine engine = OnnxInferenceEngine.open(TestModels.resnet50Onnx(), cfg)) {
            FloatTensor out = engine.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
            assertThat(engine.describe()).contains("CUDA");
            assertThat(Tensors.maxAbsDiff(out.data(), expected)).isLessThan(1e-3);
        }
    }
}
