package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.testkit.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL loads every library in its unpacked libtorch directory. Whoever can write Argus's data dir between two starts must
 * not get a library of theirs loaded at the next one. Each start is its own process: DJL's engine starts once per JVM.
 */
class PlantedNativeLibraryTest {

    @Test
    void aLibraryPlantedBesideTheUnpackedLibtorchIsRemovedBeforeTheNextStart(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("djl");
        assertThat(start(cache)).as("first start, which unpacks libtorch").startsWith("OK [1, 1000]");
        Path version;
        try (Stream<Path> dirs = Files.list(cache.resolve("engines").resolve("pytorch"))) {
            version = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path planted = version.resolve("libplanted.so");
        Files.write(planted, "not what DJL unpacked".getBytes(StandardCharsets.UTF_8));

        assertThat(start(cache)).as("second start, with a planted library").startsWith("OK [1, 1000]");
        assertThat(planted).doesNotExist();
        assertThat(version.resolve("libtorch_cpu.so")).as("unpacked again from the jar").exists();
        assertThat(PyTorchNativeCache.pinned().verify(cache.resolve("engines").resolve("pytorch")).removed()).isEmpty();
    }

    private static String start(Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                OpenPyTorchOnce.class.getName(), cache.toString(), TestModels.probeTorchScript().toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the process ends").isTrue();
        String last = out.lines().filter(l -> l.startsWith("OK") || l.startsWith("FAILED")).reduce((a, b) -> b).orElse(out);
        return last;
    }
}
