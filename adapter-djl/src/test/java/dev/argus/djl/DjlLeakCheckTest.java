package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.ports.model.FloatTensor;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * 10,000 inferences on the probe model per engine, printing heap (after GC) and process RSS every 2,000: the per-call
 * NDManager must leave nothing behind. Printed, not asserted (RSS depends on the allocator); the numbers go in the
 * report. Asserts only that every answer is still right.
 */
class DjlLeakCheckTest {
    private static final int CALLS = 10_000;

    @Test
    void pytorchMemoryStaysFlatOver10000Inferences() {
        run("djl-pytorch", DjlTestSupport.pytorch(TestModels.probeTorchScript()), DjlTestSupport.pytorchConfig());
    }

    @Test
    void tensorflowMemoryStaysFlatOver10000Inferences() {
        Optional<Path> probe = SavedModels.probe();
        if (probe.isEmpty()) {
            System.out.println("SKIPPED tensorflow leak check: no probe SavedModel");
            return;
        }
        run("djl-tensorflow", DjlTestSupport.tensorflow(probe.get()), DjlTestSupport.tensorflowConfig());
    }

    private static void run(String name, DjlModel model, DjlConfig config) {
        float[] red = Tensors.solidNchw(0xff0000, 224);
        FloatTensor in = new FloatTensor(new long[] {1, 3, 224, 224}, red);
        List<String> lines = new ArrayList<>();
        try (DjlInferenceEngine engine = DjlInferenceEngine.open(model, config)) {
            long t0 = System.nanoTime();
            lines.add(sample(name, 0, t0));
            for (int i = 1; i <= CALLS; i++) {
                FloatTensor out = engine.infer(in);
                if (i % 2_000 == 0) {
                    assertThat(Tensors.argmax(out.data(), 0, 1000)).isEqualTo(555); // fire engine, the probe's "red"
                    lines.add(sample(name, i, t0));
                }
            }
        }
        lines.forEach(System.out::println);
    }

    private static String sample(String name, int calls, long t0) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory();
        return String.format("leak check %-15s %6d inferences  %6.1f s  heap %6.1f MiB  RSS %7.1f MiB", name, calls,
                (System.nanoTime() - t0) / 1e9, heap / 1048576.0, rssKiB() / 1024.0);
    }

    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
