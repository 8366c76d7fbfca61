package dev.argus.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerThreadsTest {
    @TempDir
    Path dir;

    /** This JVM's own C2 threads: after lower(10), /proc says each runs at nice 10 or more. */
    @Test
    void thisJvmsC2ThreadsEndUpAtTheNiceValueAskedFor() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        Assumptions.assumeTrue(Files.isDirectory(tasks), "no /proc/self/task: not Linux");
        CompilerThreads.Outcome o = CompilerThreads.lower(10);
        assertNull(o.problem(), o.describe());
        assertTrue(!o.threads().isEmpty(), "HotSpot runs at least one C2 compiler thread");
        for (long tid : o.threads()) {
            Path task = tasks.resolve(Long.toString(tid));
            assertTrue(Files.readString(task.resolve("comm")).startsWith("C2 Compiler"));
            Integer nice = CompilerThreads.nice(task);
            assertNotNull(nice);
            assertTrue(nice >= 10, "thread " + tid + " at nice " + nice);
        }
        assertTrue(o.describe().contains("at nice 10"), o.describe());
    }

    /** Only C2 threads are reniced, with renice's absolute form; one already nicer is left alone. */
    @Test
    void renicesOnlyTheC2ThreadsThatAreNotAlreadyNicer() throws IOException {
        Path tasks = dir.resolve("task");
        task(tasks, 101, "C2 CompilerThre", 0);
        task(tasks, 102, "C1 CompilerThre", 0);
        task(tasks, 103, "onnx-engine-0", 0);
        task(tasks, 104, "C2 CompilerThre", 15);
        Path log = dir.resolve("calls.log");
        // a renice that records its arguments and sets the thread's nice field as the real one would
        Path renice = script("renice", "echo \"$@\" >> " + log + "\n"
                + "f=" + tasks + "/$3/stat; sed -i \"s/ 0 0 20 0 1 0/ 0 0 20 $1 1 0/\" $f\n");
        CompilerThreads.Outcome o = CompilerThreads.lower(tasks, 10, renice.toString());
        assertNull(o.problem(), o.describe());
        assertEquals(Set.of(101L, 104L), Set.copyOf(o.threads()));
        assertEquals(List.of("10 -p 101"), Files.readAllLines(log));
        assertEquals(10, CompilerThreads.nice(tasks.resolve("101")));
        assertEquals(0, CompilerThreads.nice(tasks.resolve("102")));
        assertEquals(15, CompilerThreads.nice(tasks.resolve("104")));
    }

    @Test
    void aReniceThatFailsOrDoesNothingIsReportedNotThrown() throws IOException {
        Path tasks = dir.resolve("task");
        task(tasks, 7, "C2 CompilerThre", 0);
        CompilerThreads.Outcome missing = CompilerThreads.lower(tasks, 10, dir.resolve("no-such-renice").toString());
        assertTrue(missing.problem().contains("cannot run"), missing.problem());
        assertTrue(missing.describe().startsWith("JIT compiler threads left at their priority"), missing.describe());

        CompilerThreads.Outcome refused = CompilerThreads.lower(tasks, 10,
                script("refuse", "echo 'renice: failed to set priority for 7: Permission denied'; exit 1").toString());
        assertTrue(refused.problem().contains("exited 1") && refused.problem().contains("Permission denied"),
                refused.problem());

        CompilerThreads.Outcome ignored = CompilerThreads.lower(tasks, 10, script("noop", "exit 0").toString());
        assertTrue(ignored.problem().contains("thread 7: its nice value is still 0"), ignored.problem());
    }

    @Test
    void zeroLeavesThemAndOtherValuesOutsideNicesRangeAreRefused() {
        assertTrue(CompilerThreads.lower(dir, 0, "renice").problem().contains("is 0"));
        assertTrue(CompilerThreads.lower(dir.resolve("none"), 10, "renice").problem().contains("not Linux"));
        assertTrue(CompilerThreads.lower(dir, 10, "renice").problem().contains("no C2 compiler thread"));
        assertThrows(IllegalArgumentException.class, () -> CompilerThreads.lower(dir, 20, "renice"));
        assertThrows(IllegalArgumentException.class, () -> CompilerThreads.lower(dir, -1, "renice"));
    }

    /** A /proc task entry: its comm, and a stat line shaped as Linux's with {@code nice} in field 19. */
    private static void task(Path tasks, long tid, String comm, int nice) throws IOException {
        Path t = Files.createDirectories(tasks.resolve(Long.toString(tid)));
        Files.writeString(t.resolve("comm"), comm + "\n");
        Files.writeString(t.resolve("stat"), tid + " (" + comm + ") S 1 1 1 0 -1 1077936192 10 0 0 0 5 3 0 0 20 "
                + nice + " 1 0 100 0 0\n", StandardCharsets.US_ASCII);
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
