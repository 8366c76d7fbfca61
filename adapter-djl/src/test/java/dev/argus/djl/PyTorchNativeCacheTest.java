package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchNativeCacheTest {
    private static final byte[] TORCH = "libtorch".getBytes(StandardCharsets.UTF_8);
    private static final byte[] C10 = "c10".getBytes(StandardCharsets.UTF_8);
    private static final byte[] JNI = "jni".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cache;

    private final PyTorchNativeCache check = new PyTorchNativeCache(List.of(
            recorded("libtorch.so", TORCH), recorded("libc10.so", C10), recorded("0.36.0-libdjl_torch.so", JNI)));

    @Test
    void everyRecordedHashIsThatOfTheJarEntryOnTheClassPath() throws Exception {
        List<PyTorchNativeCache.Recorded> recorded = PyTorchNativeCache.recorded();
        assertThat(recorded).extracting(PyTorchNativeCache.Recorded::name)
                .contains("libtorch.so", "libtorch_cpu.so", "libc10.so", "0.36.0-libdjl_torch.so");
        for (PyTorchNativeCache.Recorded r : recorded) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(r.resource())) {
                assertThat(in).as("%s on the class path", r.resource()).isNotNull();
                assertThat(PyTorchNativeCache.sha256(in)).as("SHA-256 of %s", r.resource()).isEqualTo(r.sha256());
            }
        }
    }

    @Test
    void leavesAnUnpackedLibtorchThatMatchesTheRecordAlone() throws Exception {
        Path dir = libtorchDir();

        PyTorchNativeCache.Report r = check.verify(cache);

        assertThat(r.removed()).isEmpty();
        assertThat(r.filesChecked()).isEqualTo(3);
        assertThat(dir.resolve("libc10.so")).hasBinaryContent(C10);
    }

    @Test
    void removesTheWholeLibtorchDirectoryWhenALibraryWasChanged() throws Exception {
        Path dir = libtorchDir();
        Files.write(dir.resolve("libc10.so"), "c10 with a payload".getBytes(StandardCharsets.UTF_8));

        PyTorchNativeCache.Report r = check.verify(cache);

        assertThat(dir).doesNotExist();
        assertThat(r.removed()).singleElement().asString().contains("libc10.so").contains("SHA-256");
    }

    @Test
    void removesTheWholeLibtorchDirectoryWhenALibraryWasAdded() throws Exception {
        Path dir = libtorchDir();
        Files.write(dir.resolve("libplanted.so"), TORCH); // even with a recorded file's bytes: the name is not recorded

        check.verify(cache);

        assertThat(dir).doesNotExist();
    }

    @Test
    void removesLinksAndDirectoriesInsideAVersionDirectory() throws Exception {
        Path dir = libtorchDir();
        Files.delete(dir.resolve("libc10.so"));
        Path elsewhere = Files.write(cache.resolve("..").normalize().resolve("c10-" + System.nanoTime()), C10);
        try {
            Files.createSymbolicLink(dir.resolve("libc10.so"), elsewhere);

            check.verify(cache);

            assertThat(dir).doesNotExist();
            assertThat(elsewhere).as("the link's target is not touched").exists();
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void besideAConfiguredLibtorchRemovesOnlyTheWrongJniLibrary() throws Exception {
        Path dir = Files.createDirectories(cache.resolve("2.7.1-cu128-linux-x86_64"));
        Files.write(dir.resolve("0.36.0-libdjl_torch.so"), "changed".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("libc10.so"), C10);

        PyTorchNativeCache.Report r = check.verify(cache);

        assertThat(dir).isDirectory(); // DJL writes the JNI library into this directory again; it must exist
        assertThat(dir.resolve("0.36.0-libdjl_torch.so")).doesNotExist();
        assertThat(dir.resolve("libc10.so")).exists();
        assertThat(r.removed()).hasSize(1);
    }

    @Test
    void removesStrayFilesBesideTheVersionDirectoriesAndCopesWithNoCacheYet() throws Exception {
        assertThat(check.verify(cache.resolve("absent")).removed()).isEmpty();
        Files.write(cache.resolve("stray.so"), TORCH);

        assertThat(check.verify(cache).removed()).hasSize(1);
        assertThat(cache.resolve("stray.so")).doesNotExist();
    }

    private Path libtorchDir() throws Exception {
        Path dir = Files.createDirectories(cache.resolve("2.7.1-20250812-cpu-linux-x86_64"));
        Files.write(dir.resolve("libtorch.so"), TORCH);
        Files.write(dir.resolve("libc10.so"), C10);
        Files.write(dir.resolve("0.36.0-libdjl_torch.so"), JNI);
        return dir;
    }

    private static PyTorchNativeCache.Recorded recorded(String name, byte[] content) {
        try {
            return new PyTorchNativeCache.Recorded(name, PyTorchNativeCache.sha256(new java.io.ByteArrayInputStream(content)), name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
