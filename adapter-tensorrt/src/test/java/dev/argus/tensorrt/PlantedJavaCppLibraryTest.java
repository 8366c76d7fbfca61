package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaCPP reuses a cached library whose size and time stamp match its jar entry, so a planted file with both is
 * loaded at the next start; the TensorRT backend's check removes it first. Uses JavaCPP's own JNI library (no GPU
 * needed); each start is its own process, as a library loads once per JVM.
 */
class PlantedJavaCppLibraryTest {

    @Test
    void aPlantedLibraryWithTheRightSizeAndTimeIsLoadedByJavaCppAloneButRemovedByTheCheck(@TempDir Path cache) throws Exception {
        assertThat(start(cache, "checked")).as("first start, which unpacks").startsWith("OK");
        Path lib;
        try (Stream<Path> files = Files.walk(cache)) {
            lib = files.filter(p -> p.getFileName().toString().equals("libjnijavacpp.so")).findFirst().orElseThrow();
        }
        byte[] real = Files.readAllBytes(lib);
        FileTime time = Files.getLastModifiedTime(lib);
        byte[] planted = new byte[real.length];
        Arrays.fill(planted, (byte) 0x7f);
        Files.write(lib, planted);
        Files.setLastModifiedTime(lib, time);

        assertThat(start(cache, "plain")).as("JavaCPP alone loads the planted file").startsWith("FAILED");
        assertThat(start(cache, "checked")).as("with the check").startsWith("OK");
        assertThat(lib).hasBinaryContent(real);
    }

    private static String start(Path cache, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LoadJavaCppOnce.class.getName(), cache.toString(), mode)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("OK") || l.startsWith("FAILED")).reduce((a, b) -> b).orElse(out);
    }
}
