package dev.argus.modelhub;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Exclusive access to one cache target: a lock per target within this JVM, plus a file lock on its lock file against
 * other processes. The holder writes who it is into the lock file. A waiter gives up once the holder has made no
 * progress (its {@code .part} has not changed) for the timeout, naming the holder. Where file locks are not available
 * (read-only cache, some network file systems) only the in-process lock is held, with a log line saying so.
 */
final class TargetLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TargetLock.class.getName());
    private static final long POLL_MILLIS = 100;
    private static final int MAX_HOLDER_CHARS = 200;
    /*
     * JVM-wide on purpose: the JDK grants file locks per JVM, so two sources in one process locking the same file
     * would get an OverlappingFileLockException instead of waiting. Entries are a few bytes per model file.
     */
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private TargetLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * @param timeout  how long to wait while {@code progress} stays the same
     * @param progress what the holder has done so far (the length of the {@code .part} it writes)
     * @throws HubFailure {@code LOCKED} when the wait ran out
     */
    static TargetLock acquire(Path lockFile, Duration timeout, LongSupplier progress)
            throws HubFailure, InterruptedException {
        Patience patience = new Patience(timeout, progress);
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath(), k -> new ReentrantLock());
        while (!threadLock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (patience.exhausted()) {
                throw timedOut(lockFile, timeout, "another thread of this process");
            }
        }
        FileChannel channel = null;
        boolean locked = false;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.log(Level.INFO, "Waiting for {0}, which holds {1}", holder(lockFile), lockFile);
                while ((lock = channel.tryLock()) == null) {
                    if (patience.exhausted()) {
                        throw timedOut(lockFile, timeout, holder(lockFile));
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            }
            sayWhoHolds(channel);
            locked = true;
            return new TargetLock(threadLock, channel, lock);
        } catch (ClosedByInterruptException e) {
            throw new InterruptedException("interrupted while waiting for " + lockFile);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "No file lock on {0} ({1}); locking within this process only", lockFile,
                    e.getMessage());
            locked = true;
            closeQuietly(channel);
            return new TargetLock(threadLock, null, null);
        } finally {
            if (!locked) {
                closeQuietly(channel);
                threadLock.unlock();
            }
        }
    }

    @Override
    public void close() {
        try {
            if (fileLock != null) {
                channel.truncate(0); // nobody holds it now
                fileLock.release();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Releasing a file lock failed: {0}", e.getMessage());
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
    }

    private static HubFailure timedOut(Path lockFile, Duration timeout, String holder) {
        return HubFailure.locked("waited " + HubMessages.duration(timeout) + " for the cache lock " + lockFile
                + ", held by " + holder + ", while its download made no progress");
    }

    /** {@code pid 1234 on host (since 2025-01-01T12:00:00Z)}: what a waiter's message names. */
    private static void sayWhoHolds(FileChannel channel) {
        String host = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", ""));
        String who = "pid " + ProcessHandle.current().pid() + (host.isBlank() ? "" : " on " + host.strip())
                + " (since " + Instant.now() + ")";
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Cannot say who holds the lock: {0}", e.getMessage());
        }
    }

    private static String holder(Path lockFile) {
        try (InputStream in = Files.newInputStream(lockFile)) {
            String who = new String(in.readNBytes(MAX_HOLDER_CHARS), StandardCharsets.UTF_8)
                    .replaceAll("\\p{Cntrl}", " ").strip();
            if (!who.isEmpty()) {
                return who;
            }
        } catch (IOException unreadable) {
            // some systems do not let anyone read a locked file
        }
        return "another process (it does not say which: an older Argus or another program)";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with a lock file we could not close
            }
        }
    }

    /** Runs out once {@code progress} has stayed the same for the timeout. */
    private static final class Patience {
        private final long timeoutNanos;
        private final LongSupplier progress;
        private long seen;
        private long since;

        Patience(Duration timeout, LongSupplier progress) {
            this.timeoutNanos = timeout.toNanos();
            this.progress = progress;
            this.seen = progress.getAsLong();
            this.since = System.nanoTime();
        }

        boolean exhausted() {
            long now = System.nanoTime();
            long current = progress.getAsLong();
            if (current != seen) {
                seen = current;
                since = now;
            }
            return now - since >= timeoutNanos;
        }
    }
}
