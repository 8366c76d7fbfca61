package dev.argus.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal: where every command decides between a progress bar redrawn in place and a line every
 * few seconds (or none). {@link System#console()} answers for stdin and stdout, so {@code argus classify dir > out.jsonl}
 * would lose its bar; on Linux, {@code /proc/self/fd/2} names what stderr really is.
 */
public final class Terminal {
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private Terminal() {
    }

    /** Whether {@code err} is this process's stderr and that is a terminal; false for any other stream (tests, embedding). */
    public static boolean isTerminal(PrintStream err) {
        return err == System.err && isTerminal(STDERR, System.console() != null);
    }

    /**
     * @param fd        a {@code /proc/PID/fd/N} link
     * @param otherwise the answer where there is no such link (no {@code /proc}: macOS, Windows) or it cannot be read
     * @return whether the link points at a terminal device: {@code /dev/pts/N} (pseudo-terminals: ssh, terminal
     *         emulators), {@code /dev/ttyN} (consoles, serial lines) or {@code /dev/console}
     */
    static boolean isTerminal(Path fd, boolean otherwise) {
        if (!Files.isSymbolicLink(fd)) {
            return otherwise;
        }
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return otherwise;
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
