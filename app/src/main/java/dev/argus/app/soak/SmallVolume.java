package dev.argus.app.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The data dir of the server under soak, on a file system small enough to fill: a tmpfs mounted for the soak (root
 * only), a folder the user made on such a volume, or, when neither is possible, an ordinary folder (the disk-full fault
 * is then skipped, and the report says why). {@link #fill()} writes a file until the volume is full; {@link #unfill()}
 * removes it.
 */
final class SmallVolume implements AutoCloseable {
    /** Free space the server's downloader insists on before it starts (HubDownloader.MIN_FREE_BYTES), and some more. */
    private static final long HEADROOM = 320L << 20;

    private final Path dir;
    private final boolean mounted;
    private final boolean usable;
    private final String description;

    private SmallVolume(Path dir, boolean mounted, boolean usable, String description) {
        this.dir = dir;
        this.mounted = mounted;
        this.usable = usable;
        this.description = description;
    }

    static SmallVolume prepare(String mode, Path defaultDir, long fileBytes, PrintStream err) throws IOException {
        if (mode.equals("none")) {
            Files.createDirectories(defaultDir);
            return new SmallVolume(defaultDir, false, false, "disk-full fault not run (--small-volume none)");
        }
        if (!mode.equals("auto")) {
            Path d = Files.createDirectories(Path.of(mode).toAbsolutePath());
            return new SmallVolume(d, false, true, "data dir on " + d + " (given by --small-volume)");
        }
        unmountQuietly(defaultDir);
        Files.createDirectories(defaultDir);
        long size = fileBytes + HEADROOM;
        String why;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + (size >> 20) + "m", "tmpfs", defaultDir.toString())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                unmountQuietly(defaultDir);
                said = "mount did not end within 30 s";
            } else if (p.exitValue() == 0) {
                return new SmallVolume(defaultDir, true, true, "data dir on a " + (size >> 20) + " MiB tmpfs mounted for the soak");
            }
            why = "mount -t tmpfs failed: " + (said.isEmpty() ? "exit " + p.exitValue() : said);
        } catch (IOException e) {
            why = "cannot run mount: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        err.println("argus soak: the disk-full fault will not run: " + why + " (run as root, or give --small-volume DIR on a small file system)");
        return new SmallVolume(defaultDir, false, false, "disk-full fault not run: " + why);
    }

    Path dir() {
        return dir;
    }

    boolean usable() {
        return usable;
    }

    String description() {
        return description;
    }

    private Path filler() {
        return dir.resolve("soak-filler");
    }

    /** Writes a file until the volume is full (ENOSPC ends it). */
    void fill() {
        if (!usable) {
            return;
        }
        byte[] chunk = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(filler())) {
            while (true) {
                o.write(chunk);
            }
        } catch (IOException e) {
            // full: that was the point
        }
    }

    void unfill() {
        try {
            Files.deleteIfExists(filler());
        } catch (IOException e) {
            // left behind; the next fill overwrites it
        }
    }

    /** Removes the filler and unmounts what was mounted; says so on stderr when the unmount fails. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        unfill();
        if (mounted && !unmountQuietly(dir)) {
            System.err.println("argus soak: could not unmount the tmpfs at " + dir + ": run umount " + dir);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether {@code umount dir} succeeded. */
    private static boolean unmountQuietly(Path dir) {
        try {
            Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no umount
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
