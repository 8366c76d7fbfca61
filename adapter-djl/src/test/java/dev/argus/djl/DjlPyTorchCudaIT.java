package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

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
 * DJL PyTorch on CUDA: run on a machine with an NVIDIA GPU and driver, with libtorch 2.7.1 for CUDA 12.8 given as
 * {@code -Dargus.djl.test.libtorch=DIR} (usually with {@code -Pgpu}). Skipped, with the reason printed, where either is
 * missing: a skip here is not coverage of the CUDA path.
 */
@Tag("gpu")
class DjlPyTorchCudaIT {

    @BeforeAll
    static void requireGpu() {
        String reason = null;
        if (!Files.exists(Path.of("/dev/nvidiactl"))) {
            reason = "no NVIDIA device (/dev/nvidiactl absent)";
        } else if (DjlTestSupport.libtorch().isEmpty()) {
            reason = "no CUDA libtorch given (-Dargus.djl.test.libtorch=DIR: libtorch 2.7.1 for CUDA 12.8)";
        }
        if (reason != null) {
            System.out.println("SKIPPED DjlPyTorchCudaIT: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
    }

    @Test
    void cudaReproducesPyTorchLogitsWithinFp32Tolerance() {
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        float[] expected = Tensors.readF32(TestModels.require("resnet50-reference-logits.bin"));
        DjlConfig cfg = DjlTestSupport.pytorchConfig().withDevice(DjlConfig.Device.GPU, 0);
        try (DjlInferenceEngine engine = DjlInferenceEngine.open(DjlTestSupport.pytorch(TestModels.resnet50TorchScript()), cfg)) {
            FloatTensor out = engine.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
            assertThat(engine.describe()).contains("GPU:0");
            assertThat(Tensors.maxAbsDiff(out.data(), expected)).isLessThan(1e-3);
        }
    }
}
