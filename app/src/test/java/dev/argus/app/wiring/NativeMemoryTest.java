package dev.argus.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        throw new AssertionError("no VmRSS");
    }

    @Test
    void givesBackWhatMallocKeptAfterItWasFreed() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "not Linux");
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")) || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6")),
                "no glibc here");
        // 96 MiB in small blocks (below glibc's mmap threshold, so they come from an arena), then one block after them
        // that stays, so that freeing the rest leaves a hole glibc does not give back by itself. Other threads of this
        // JVM (the JIT, earlier tests' pools) may allocate into the hole between the free and the trim, so the cycle
        // is tried up to three times; without malloc_trim none of them gives anything back.
        long best = 0;
        String seen = "";
        for (int attempt = 0; attempt < 3 && best <= 48 * 1024; attempt++) {
            List<Memory> blocks = new ArrayList<>();
            for (int i = 0; i < 96 * 256; i++) {
                Memory m = new Memory(4096);
                m.clear();
                blocks.add(m);
            }
            Memory fence = new Memory(4096);
            fence.clear();
            blocks.forEach(Memory::close);
            long before = rssKb();
            assertThat(NativeMemory.trim()).isTrue();
            long after = rssKb();
            best = Math.max(best, before - after);
            seen += " [" + before + " -> " + after + " kB]";
            fence.close();
        }
        assertThat(best).as("RSS before and after malloc_trim:%s", seen).isGreaterThan(48 * 1024);
    }
}
