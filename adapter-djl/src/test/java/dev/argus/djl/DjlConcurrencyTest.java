package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.ports.model.FloatTensor;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One engine, several callers at once: every answer right (each call has its own NDManager and input buffer). */
class DjlConcurrencyTest {

    @Test
    void pytorchServesConcurrentCallers() throws Exception {
        hammer(DjlTestSupport.pytorch(TestModels.probeTorchScript()), DjlTestSupport.pytorchConfig());
    }

    @Test
    void tensorflowServesConcurrentCallers() throws Exception {
        hammer(DjlTestSupport.tensorflow(SavedModels.probe().orElseThrow()), DjlTestSupport.tensorflowConfig());
    }

    private static void hammer(DjlModel model, DjlConfig config) throws Exception {
        int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff};
        int[] classes = {555, 948, 608, 818};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (DjlInferenceEngine engine = DjlInferenceEngine.open(model, config)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int k = t;
                futures.add(pool.submit(() -> {
                    FloatTensor in = new FloatTensor(new long[] {1, 3, 224, 224}, Tensors.solidNchw(colours[k], 224));
                    for (int i = 0; i < 200; i++) {
                        assertThat(Tensors.argmax(engine.infer(in).data(), 0, 1000)).isEqualTo(classes[k]);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
