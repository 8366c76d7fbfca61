package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether stderr is a terminal, decided from what /proc/self/fd/2 points at (links built here stand in for it). */
class TerminalTest {
    @TempDir
    Path fd;

    /** The decision for a stand-in fd link pointing at {@code target}; the link is removed again (never what it points at). */
    private boolean terminal(String target, boolean otherwise) throws Exception {
        Path link = Files.createSymbolicLink(fd.resolve("2"), Path.of(target));
        try {
            return Terminal.isTerminal(link, otherwise);
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void pseudoTerminalsConsolesAndTtysAreTerminals() throws Exception {
        assertThat(terminal("/dev/pts/3", false)).isTrue();
        assertThat(terminal("/dev/tty1", false)).isTrue();
        assertThat(terminal("/dev/tty", false)).isTrue();
        assertThat(terminal("/dev/console", false)).isTrue();
    }

    @Test
    void filesPipesSocketsAndDevNullAreNotWhateverTheConsoleSays() throws Exception {
        // System.console() looks at stdin and stdout: "argus classify dir > out.jsonl" has none, yet stderr is a terminal
        assertThat(terminal("/home/me/classify.log", true)).isFalse();
        assertThat(terminal("pipe:[123456]", true)).isFalse();
        assertThat(terminal("socket:[98765]", true)).isFalse();
        assertThat(terminal("/dev/null", true)).isFalse();
        assertThat(terminal("/dev/ptmx-not-a-pts", true)).isFalse();
    }

    @Test
    void withoutProcTheFallbackDecides() throws Exception {
        Path missing = fd.resolve("no-proc-here");
        assertThat(Terminal.isTerminal(missing, true)).isTrue();
        assertThat(Terminal.isTerminal(missing, false)).isFalse();
        Path plainFile = Files.writeString(fd.resolve("not-a-link"), "x");
        assertThat(Terminal.isTerminal(plainFile, true)).isTrue();
    }

    @Test
    void aStreamOtherThanThisProcesssStderrIsNeverATerminal() {
        assertThat(Terminal.isTerminal(new PrintStream(new ByteArrayOutputStream()))).isFalse();
    }
}
