package dev.argus.modelhub;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive access to one cache target: a lock per target within this JVM, plus a file lock on
 * {@code <target>.lock} against other processes. Where file locks are not available (read-only cache, some network
 * file systems) only the in-process lock is held, with a log line saying so.
 */
final class TargetLock implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TargetLock.class.getName());
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

    static TargetLock acquire(Path lockFile) throws InterruptedException {
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath(), k -> new ReentrantLock());
        threadLock.lockInterruptibly();
        FileChannel channel = null;
        boolean locked = false;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.log(Level.INFO, "Waiting for another process that holds {0}", lockFile);
                lock = channel.lock();
            }
            locked = true;
            return new TargetLock(threadLock, channel, lock);
        } catch (FileLockInterruptionException e) {
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
                fileLock.release();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Releasing a file lock failed: {0}", e.getMessage());
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
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
}
