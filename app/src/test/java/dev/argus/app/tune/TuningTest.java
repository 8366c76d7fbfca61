package dev.argus.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningTest {
    @TempDir
    Path tmp;

    private Settings settings(Path model) {
        return TestConfigs.settings(model, "m").set(Key.DATA_DIR, tmp.resolve("data").toString(), "test")
                .set(Key.CPUS, "2", "test");
    }

    private void store(ArgusConfig c, Path model, int workers, int threads, int batch) {
        new TuningStore(c.dataDir()).write(Tuning.subject(c, model),
                new TuningStore.Tuned(workers, threads, batch, 36, 100, 130, 500, "2026-12-06T05:18:09Z", null), model.toString(), List.of());
    }

    @Test
    void theTunedSettingReplacesTheSizingRule() throws Exception {
        Path model = Files.write(tmp.resolve("m.onnx"), new byte[] {4, 5, 6});
        ArgusConfig rule = ArgusConfig.from(settings(model), Map.of());
        assertThat(List.of(rule.inference().workers(), rule.onnx().intraOpThreads(), rule.inference().maxBatch())).containsExactly(1, 2, 8);
        assertThat(Tuning.apply(rule, model).config().inference().sizing().source()).startsWith("rule (no argus tune setting in ");

        store(rule, model, 2, 1, 4);
        Tuning.Lookup l = Tuning.apply(rule, model);
        ArgusConfig tuned = l.config();
        assertThat(l.tuned()).isPresent();
        assertThat(List.of(tuned.inference().workers(), tuned.inference().threadsPerWorker(), tuned.onnx().intraOpThreads(),
                tuned.djl().intraOpThreads(), tuned.inference().maxBatch())).containsExactly(2, 1, 1, 1, 4);
        assertThat(tuned.inference().sizing().source()).startsWith("argus tune: 2 worker(s) x 1 thread(s), max-batch 4");

        // another model (other bytes) has no setting
        Path other = Files.write(tmp.resolve("other.onnx"), new byte[] {7});
        assertThat(Tuning.apply(ArgusConfig.from(settings(other), Map.of()), other).config().inference().sizing().source())
                .startsWith("rule (argus tune has not measured this model");
    }

    @Test
    void sizingKeysTheUserSetWinAndTuningCanBeTurnedOff() throws Exception {
        Path model = Files.write(tmp.resolve("m.onnx"), new byte[] {4, 5, 6});
        store(ArgusConfig.from(settings(model), Map.of()), model, 2, 1, 4);

        ArgusConfig userSet = ArgusConfig.from(settings(model).set(Key.ONNX_INTRA_OP_THREADS, "2", "flag --set"), Map.of());
        ArgusConfig kept = Tuning.apply(userSet, model).config();
        assertThat(List.of(kept.inference().workers(), kept.onnx().intraOpThreads(), kept.inference().maxBatch())).containsExactly(1, 2, 8);
        assertThat(kept.inference().sizing().source()).startsWith("configuration: argus.onnx.intra-op-threads (flag --set)")
                .endsWith("is not used");

        ArgusConfig off = ArgusConfig.from(settings(model).set(Key.TUNING, "false", "test"), Map.of());
        assertThat(Tuning.apply(off, model).config().inference().workers()).isEqualTo(1);
        assertThat(Tuning.apply(off, model).config().inference().sizing().source()).isEqualTo("rule (argus.inference.tuning=false)");
    }

    @Test
    void remoteBackendsAreNotTuned() {
        ArgusConfig remote = ArgusConfig.from(settings(tmp.resolve("none")).set(Key.BACKEND, "grpc", "test")
                .set(Key.GRPC_BACKEND_TARGET, "localhost:1", "test"), Map.of());
        assertThat(Tuning.apply(remote, tmp.resolve("none")).tuned()).isEmpty();
    }

    @Test
    void theDefaultValueWrittenOutChoosesNothingAndADamagedFileFallsBackToTheRule() throws Exception {
        Path model = Files.write(tmp.resolve("m.onnx"), new byte[] {4, 5, 6});
        ArgusConfig plain = ArgusConfig.from(settings(model), Map.of());
        store(plain, model, 2, 1, 4);
        // the Kubernetes properties say argus.inference.workers=0: that is the default, not a choice
        ArgusConfig written = ArgusConfig.from(settings(model).set(Key.WORKERS, "0", "argus.properties")
                .set(Key.ONNX_INTRA_OP_THREADS, "0", "argus.properties"), Map.of());
        assertThat(written.inference().sizing().userSet()).isEmpty();
        assertThat(Tuning.apply(written, model).config().inference().workers()).isEqualTo(2);

        Path file = new TuningStore(plain.dataDir()).fileFor(Tuning.subject(plain, model));
        Files.writeString(file, Files.readString(file).replace("max-batch=4", "max-batch=many"));
        Tuning.Lookup damaged = Tuning.apply(plain, model);
        assertThat(damaged.tuned()).isEmpty();
        assertThat(damaged.config().inference().workers()).isEqualTo(1);
        assertThat(damaged.config().inference().sizing().source()).startsWith("rule (").contains(file.toString())
                .contains("argus tune again");

        ArgusConfig offWithKeys = ArgusConfig.from(settings(model).set(Key.TUNING, "false", "test")
                .set(Key.WORKERS, "2", "flag --set"), Map.of());
        assertThat(Tuning.apply(offWithKeys, model).config().inference().sizing().source())
                .isEqualTo("configuration: argus.inference.workers (flag --set)");
    }
}
