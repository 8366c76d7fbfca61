package dev.argus.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.TestConfigs;
import dev.argus.app.cli.Main;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.wiring.Argus;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code argus tune} end to end on the probe model: measures, stores, and serve's start picks the setting up. */
class TuneCommandIT {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Run argus(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void measuresEverySettingStoresTheChoiceAndTheNextStartUsesIt() throws Exception {
        String model = TestModels.probeOnnx().toString();
        Run tune = argus("tune", "-q", "--model", model, "--seconds", "0.5", "--warmup-seconds", "0.2",
                "--workers", "1,2", "--batch-sizes", "1,4", "--p99-ms", "10000", "-D", "argus.cpus=2");
        assertThat(tune.exit()).as(tune.err()).isZero();
        assertThat(tune.err()).contains("[1/4] workers 1, threads 2, max-batch 1:").contains("[4/4] workers 2, threads 1, max-batch 4:");
        assertThat(tune.out()).contains("decode + preprocess: ").contains("chosen (fastest with p99 <= 10000 ms): workers ");
        List<Path> files;
        try (Stream<Path> s = Files.list(tmp.resolve("data/tuning"))) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        String stored = Files.readString(files.get(0), StandardCharsets.UTF_8);
        assertThat(stored).contains("backend=onnx").contains("cpu.count=2").contains("model.sha256=" + ModelHash.of(TestModels.probeOnnx()));

        TuningStore.Tuned chosen = new TuningStore(tmp.resolve("data")).find(new TuningStore.Subject("onnx", "cpu",
                ModelHash.of(TestModels.probeOnnx()), CpuIdentity.here(2))).orElseThrow();
        assertThat(tune.out()).contains("chosen (fastest with p99 <= 10000 ms): workers " + chosen.workers() + ", threads "
                + chosen.threads() + ", max-batch " + chosen.maxBatch());

        // the next start with the same model, backend and CPUs uses the tuned setting
        var settings = TestConfigs.probeSettings().set(Key.DATA_DIR, tmp.resolve("data").toString(), "test")
                .set(Key.CPUS, "2", "test");
        try (Argus argus = Argus.start(ArgusConfig.from(settings, Map.of()), ModelSource.ProgressListener.NONE)) {
            ArgusConfig.Inference i = argus.config().inference();
            assertThat(List.of(i.workers(), i.threadsPerWorker(), i.maxBatch()))
                    .containsExactly(chosen.workers(), chosen.threads(), chosen.maxBatch());
            assertThat(i.sizing().source()).startsWith("argus tune: ");
            assertThat(argus.classifier().classify(List.of(Files.readAllBytes(dev.argus.testkit.ProbeCase.all().get(0).file())),
                    dev.argus.domain.ClassifyOptions.defaults()).get(0)).isInstanceOf(dev.argus.domain.ClassificationOutcome.Success.class);
        }

        // argus config shows the setting and where it came from; a sizing key the user sets wins and says so
        Run config = argus("config", "--model", model, "-D", "argus.cpus=2");
        assertThat(config.out()).contains("# resolved: data dir " + tmp.resolve("data") + ", 2 CPUs, " + chosen.workers()
                + " worker(s) x " + chosen.threads() + " thread(s), max-batch " + chosen.maxBatch() + ", decode pool 2 thread(s)")
                .contains("# sizing: argus tune: ").contains("# preprocessing: " + dev.argus.domain.PreprocessSpec.resnet50()
                        + " (the argus.model.* keys)");
        Run userSet = argus("config", "--model", model, "-D", "argus.cpus=2", "-D", "argus.inference.max-batch=16");
        assertThat(userSet.out()).contains("max-batch 16").contains("# sizing: configuration: argus.inference.max-batch (flag --set); "
                + "the tuned setting " + files.get(0) + " is not used");
    }

    @Test
    void imagesThatCannotBeClassifiedAreLeftOutAndSaidSo() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(dev.argus.testkit.ProbeCase.all().get(0).file(), images.resolve("good.png"));
        Files.writeString(images.resolve("bad.jpg"), "not a picture");
        Run tune = argus("tune", "-q", "--model", TestModels.probeOnnx().toString(), "--images", images.toString(),
                "--seconds", "0.2", "--warmup-seconds", "0", "--workers", "1", "--batch-sizes", "1", "--no-save");
        assertThat(tune.exit()).as(tune.err()).isZero();
        assertThat(tune.err()).contains("leaving out 1 image(s) that cannot be classified: bad.jpg (");
        assertThat(tune.out()).contains("workers 1, threads ").doesNotContain("failed");
        assertThat(tmp.resolve("data/tuning")).doesNotExist();

        Files.delete(images.resolve("good.png"));
        Run none = argus("tune", "-q", "--model", TestModels.probeOnnx().toString(), "--images", images.toString(), "--no-save");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("None of the images of").contains("bad.jpg");
    }

    @Test
    void remoteBackendsAndBadOptionsAreRefusedClearly() {
        Run remote = argus("tune", "--backend", "grpc", "-D", "argus.grpc-backend.target=localhost:1");
        assertThat(remote.exit()).isEqualTo(3);
        assertThat(remote.err()).contains("argus tune measures engines that run here");
        Run bad = argus("tune", "--model", TestModels.probeOnnx().toString(), "--workers", "0");
        assertThat(bad.exit()).as("a usage error, before the model is looked for").isEqualTo(2);
        assertThat(bad.err()).contains("--workers values must be in 1..1024, got 0");
    }
}
