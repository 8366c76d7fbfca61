package dev.argus.tensorrt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Serialised TensorRT engines on disk, one file per {@link EngineCacheKey}. An entry is
 * {@code magic "ARGUSTRT" | int format | int key length | key (UTF-8) | long payload length | payload |
 * SHA-256(payload) | magic "ARGUSEND"}, big-endian, written to a temporary file and moved into place atomically.
 * A truncated, corrupted or stale entry (its key differs from the one asked for) is deleted and reported as a miss.
 */
public final class EngineCache {
    private static final System.Logger LOG = System.getLogger(EngineCache.class.getName());
    static final byte[] MAGIC = "ARGUSTRT".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "ARGUSEND".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    private static final int SHA_LEN = 32;

    private final Path dir;

    public EngineCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** The outcome of a lookup: an engine, or why there is none. */
    public sealed interface Lookup permits Hit, Miss {
    }

    /** A verified entry: the serialised engine. */
    public record Hit(byte[] engine) implements Lookup {
    }

    /** No usable entry; {@code reason} says why (absent, truncated, corrupted, stale, unreadable). */
    public record Miss(String reason) implements Lookup {
    }

    public Path directory() {
        return dir;
    }

    public Path pathOf(EngineCacheKey key) {
        return dir.resolve(key.fileName());
    }

    /** Reads and verifies the entry for {@code key}; an unusable entry is deleted. */
    public Lookup load(EngineCacheKey key) {
        Path file = pathOf(key);
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 64) {
                return invalid(file, "larger than 2 GiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Miss("absent");
        } catch (IOException e) {
            return new Miss("unreadable: " + e.getMessage());
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                return invalid(file, "corrupted (not an Argus engine cache entry)");
            }
            int format = in.getInt();
            if (format != FORMAT) {
                return invalid(file, "stale (cache format " + format + ", expected " + FORMAT + ")");
            }
            int keyLen = in.getInt();
            if (keyLen < 0 || keyLen > in.remaining()) {
                return invalid(file, "truncated (key)");
            }
            byte[] storedKey = new byte[keyLen];
            in.get(storedKey);
            String stored = new String(storedKey, StandardCharsets.UTF_8);
            long len = in.getLong();
            if (len < 0 || len != (long) in.remaining() - SHA_LEN - END.length) {
                return invalid(file, "truncated (payload length " + len + ", " + Math.max(0, in.remaining() - SHA_LEN - END.length)
                        + " bytes present)");
            }
            byte[] payload = new byte[(int) len];
            in.get(payload);
            byte[] sha = new byte[SHA_LEN];
            in.get(sha);
            byte[] end = new byte[END.length];
            in.get(end);
            if (!Arrays.equals(end, END) || !Arrays.equals(sha, EngineCacheKey.digest(payload))) {
                return invalid(file, "corrupted (payload checksum mismatch)");
            }
            if (!stored.equals(key.canonical())) {
                return invalid(file, "stale (built for " + stored + ")");
            }
            return new Hit(payload);
        } catch (BufferUnderflowException e) {
            return invalid(file, "truncated");
        }
    }

    /**
     * Writes the entry for {@code key} atomically (a reader sees the old entry or the complete new one).
     *
     * @return whether it was written; a failure is logged, not thrown: the engine still runs, it is just rebuilt next start
     */
    public boolean store(EngineCacheKey key, byte[] engine) {
        Path file = pathOf(key);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + key.fileName(), ".tmp");
            byte[] keyBytes = key.canonical().getBytes(StandardCharsets.UTF_8);
            ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 4 + 4 + keyBytes.length + 8);
            header.put(MAGIC).putInt(FORMAT).putInt(keyBytes.length).put(keyBytes).putLong(engine.length);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                out.write(header.array());
                out.write(engine);
                out.write(EngineCacheKey.digest(engine));
                out.write(END);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write TensorRT engine cache entry " + file + ": " + e.getMessage()
                    + " (the engine will be rebuilt at the next start)");
            deleteQuietly(tmp);
            return false;
        }
    }

    /** Deletes the entry for {@code key}, e.g. when TensorRT refused to deserialise it. */
    public void invalidate(EngineCacheKey key, String reason) {
        invalid(pathOf(key), reason);
    }

    private static Miss invalid(Path file, String reason) {
        LOG.log(System.Logger.Level.WARNING, "TensorRT engine cache entry " + file + " is " + reason + ": deleted, rebuilding");
        deleteQuietly(file);
        return new Miss(reason);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot delete " + file + ": " + e.getMessage());
            }
        }
    }
}
