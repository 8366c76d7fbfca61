package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.cli.Main;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images per second of the job in {@code local[2]} and of {@code argus classify} on the same directory of 200 images,
 * with the generated ResNet-50, in this run, end to end (model load included in both). Printed, never asserted.
 */
class ThroughputIT {
    static final int IMAGES = 200;

    @TempDir
    Path work;

    @Test
    void measuresTheJobNextToArgusClassify() {
        Path images = work.resolve("images");
        ImageFolders.drawn(images, IMAGES, 7);
        String model = TestModels.resnet50Onnx().toString();
        String dataDir = System.getProperty("argus.data.dir", "target/argus-data");

        LocalSpark.session(); // started before the clock: a cluster's session is up before a job is submitted
        long t0 = System.nanoTime();
        LocalSpark.Run job = LocalSpark.job("--input", images.toString(), "--output", work.resolve("out").toString(),
                "--model", model);
        double jobSeconds = (System.nanoTime() - t0) / 1e9;
        assertThat(job.exitCode()).as(job.err()).isZero();
        assertThat(job.out()).contains(IMAGES + " images classified");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t1 = System.nanoTime();
        int cli = Main.run(new String[] {"classify", "--model", model, "-D", "argus.data-dir=" + dataDir, "--no-progress",
                images.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        double cliSeconds = (System.nanoTime() - t1) / 1e9;
        assertThat(cli).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(IMAGES);

        System.out.printf(Locale.ROOT, "THROUGHPUT resnet50.onnx, %d images, %d CPUs: spark job local[2] %.1f images/s (%.1f s), "
                        + "argus classify %.1f images/s (%.1f s)%n", IMAGES, Runtime.getRuntime().availableProcessors(),
                IMAGES / jobSeconds, jobSeconds, IMAGES / cliSeconds, cliSeconds);
    }
}
