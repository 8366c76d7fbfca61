package dev.argus.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuningStoreTest {
    @TempDir
    Path data;

    private static final CpuIdentity ZEN5 = new CpuIdentity("AMD EPYC 9B45 (family 26 model 2)", 2);
    private static final TuningStore.Subject SUBJECT = new TuningStore.Subject("onnx", "cpu", "ab".repeat(32), ZEN5);

    private static TuningStore.Tuned tuned(int workers, int threads, int batch) {
        return new TuningStore.Tuned(workers, threads, batch, 36.33, 105.6, 132.0, 500, "2026-12-06T05:18:09Z", null);
    }

    @Test
    void aStoredSettingIsFoundForExactlyWhatItWasMeasuredFor() {
        TuningStore store = new TuningStore(data);
        assertThat(store.isEmpty()).isTrue();
        Path f = store.write(SUBJECT, tuned(2, 1, 4), "model.onnx", List.of("workers 2 ...: 36.3 img/s", "line\nbreak"));
        assertThat(store.isEmpty()).isFalse();
        assertThat(f.getParent()).isEqualTo(data.resolve("tuning"));
        TuningStore.Tuned t = store.find(SUBJECT).orElseThrow();
        assertThat(List.of(t.workers(), t.threads(), t.maxBatch())).containsExactly(2, 1, 4);
        assertThat(t.imagesPerSecond()).isEqualTo(36.33);
        assertThat(t.p99Millis()).isEqualTo(132.0);
        assertThat(t.file()).isEqualTo(f);
        assertThat(t.describe()).contains("2 worker(s) x 1 thread(s), max-batch 4").contains(f.toString());

        // another CPU, CPU count, model, device or backend: not this setting
        assertThat(store.find(new TuningStore.Subject("onnx", "cpu", "ab".repeat(32), new CpuIdentity("AMD EPYC 7B13 (family 25 model 1)", 2)))).isEmpty();
        assertThat(store.find(new TuningStore.Subject("onnx", "cpu", "ab".repeat(32), new CpuIdentity(ZEN5.model(), 4)))).isEmpty();
        assertThat(store.find(new TuningStore.Subject("onnx", "cpu", "cd".repeat(32), ZEN5))).isEmpty();
        assertThat(store.find(new TuningStore.Subject("onnx", "cuda:0", "ab".repeat(32), ZEN5))).isEmpty();
        assertThat(store.find(new TuningStore.Subject("djl-pytorch", "cpu", "ab".repeat(32), ZEN5))).isEmpty();
    }

    @Test
    void aFileWhoseContentsDoNotMatchItsNameIsNotUsed() throws Exception {
        TuningStore store = new TuningStore(data);
        Path f = store.write(SUBJECT, tuned(2, 1, 4), "model.onnx", List.of());
        String text = Files.readString(f, StandardCharsets.UTF_8);
        Files.writeString(f, text.replace("cpu.count=2", "cpu.count=64"), StandardCharsets.UTF_8);
        assertThat(store.find(SUBJECT)).isEmpty();
    }

    @Test
    void aDamagedFileFailsTheStartNamingIt() throws Exception {
        TuningStore store = new TuningStore(data);
        Path f = store.write(SUBJECT, tuned(2, 1, 4), "model.onnx", List.of());
        Files.writeString(f, Files.readString(f, StandardCharsets.UTF_8).replace("workers=2", "workers=0"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.find(SUBJECT)).isInstanceOf(ArgusException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("workers = 0").hasMessageContaining("argus tune again");
    }

    @Test
    void rewritingReplacesTheSetting() {
        TuningStore store = new TuningStore(data);
        store.write(SUBJECT, tuned(2, 1, 4), "model.onnx", List.of());
        store.write(SUBJECT, tuned(1, 2, 8), "model.onnx", List.of());
        assertThat(store.find(SUBJECT).orElseThrow().maxBatch()).isEqualTo(8);
    }

    @Test
    void theProcessorIsReadFromCpuinfo() throws Exception {
        Path cpuinfo = data.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n"
                + "model name\t: AMD EPYC 7B13   64-Core Processor\nflags\t\t: fpu\n\nprocessor\t: 1\nmodel name\t: other\n");
        assertThat(CpuIdentity.describe(cpuinfo)).isEqualTo("AMD EPYC 7B13 64-Core Processor (family 25 model 1)");
        assertThat(CpuIdentity.describe(data.resolve("missing"))).isEqualTo(System.getProperty("os.arch"));
    }

    @Test
    void aModelIsHashedByItsBytesAndADirectoryByItsFilesAndNames() throws Exception {
        Path a = Files.write(data.resolve("a.onnx"), new byte[] {1, 2, 3});
        Path b = Files.write(data.resolve("b.onnx"), new byte[] {1, 2, 3});
        assertThat(ModelHash.of(a)).isEqualTo(ModelHash.of(b))
                .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        Path dir = Files.createDirectories(data.resolve("saved/variables"));
        Files.write(data.resolve("saved/saved_model.pb"), new byte[] {1});
        Files.write(dir.resolve("v.data"), new byte[] {2});
        String before = ModelHash.of(data.resolve("saved"));
        Files.move(dir.resolve("v.data"), dir.resolve("w.data"));
        assertThat(ModelHash.of(data.resolve("saved"))).isNotEqualTo(before);
    }

    @Test
    void aLinkToAModelDirectoryHashesTheDirectoryAndAnEmptyOneIsRefused() throws Exception {
        Path dir = Files.createDirectories(data.resolve("model-a"));
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2});
        Path link = Files.createSymbolicLink(data.resolve("link-a"), dir);
        assertThat(ModelHash.of(link)).isEqualTo(ModelHash.of(dir));
        Path other = Files.createDirectories(data.resolve("model-b"));
        Files.write(other.resolve("saved_model.pb"), new byte[] {3});
        assertThat(ModelHash.of(Files.createSymbolicLink(data.resolve("link-b"), other))).isNotEqualTo(ModelHash.of(link));
        Path empty = Files.createDirectories(data.resolve("empty"));
        assertThatThrownBy(() -> ModelHash.of(empty)).isInstanceOf(ArgusException.class).hasMessageContaining("holds no files");
    }
}
