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
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.Arrays;
import java.util.Objects;

/**
 * Serialised TensorRT engines on disk, one file per {@link EngineCacheKey}. An entry is
 * {@code magic "ARGUSTRT" | int format | int key length | key (UTF-8) | long payload length | payload |
 * SHA-256(payload) | magic "ARGUSEND"}, big-endian, written to a temporary file and moved into place atomically.
 * A truncated, corrupted or stale entry (its key differs from the one asked for) is deleted and reported as a miss.
 *
 * <p>A plan is code for the GPU that TensorRT runs as it is, and the checksum only catches damage. So entries are read
 * only from a directory that no other user can write: the directory is created {@code rwx------}, and a directory or
 * entry that is writable by group or others, or owned by another user (root aside), is not trusted: the engine is
 * built in memory instead and nothing is stored there. Replicas that share one cache trust each other (README, Security).
 */
final class EngineCache {
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

    /** Reads and verifies the entry for {@code key}; an unusable entry is deleted, an untrusted one left alone. */
    public Lookup load(EngineCacheKey key) {
        Path file = pathOf(key);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Miss("absent");
        }
        String untrusted = untrusted(dir);
        if (untrusted == null) {
            untrusted = untrusted(file);
        }
        if (untrusted != null) {
            LOG.log(System.Logger.Level.WARNING, "TensorRT engine cache entry " + file + " is not used: " + untrusted
                    + ". Building the engine instead; give the cache dir (argus.tensorrt.cache-dir) to the serving user alone"
                    + " (chmod 700).");
            return new Miss("untrusted: " + untrusted);
        }
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
            createPrivately(dir);
            String untrusted = untrusted(dir);
            if (untrusted != null) {
                LOG.log(System.Logger.Level.WARNING, "Not storing the TensorRT engine in " + dir + ": " + untrusted
                        + " (it would not be trusted at the next start). Give the cache dir to the serving user alone (chmod 700).");
                return false;
            }
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

    /**
     * Why {@code p} may hold or be a plan that others could have written, or null: it must be a directory or regular file
     * (not a link), owned by this process's user or root, and writable by neither group nor others.
     */
    static String untrusted(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                return p + " is a symbolic link";
            }
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> perms = a.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return p + " is writable by " + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
                        + " (" + PosixFilePermissions.toString(perms) + ")";
            }
            UserPrincipal owner = a.owner();
            UserPrincipal self = processUser();
            if (!owner.equals(self) && !"root".equals(owner.getName())) {
                return p + " is owned by " + owner.getName() + ", not by this process's user " + self.getName();
            }
            return null;
        } catch (UnsupportedOperationException e) {
            return "the file system has no POSIX permissions to check";
        } catch (IOException e) {
            return "cannot read the attributes of " + p + ": " + e.getMessage();
        }
    }

    /** This process's user, as the file system names it (learnt from a file this process creates). */
    private static synchronized UserPrincipal processUser() throws IOException {
        if (processUser == null) {
            Path probe = Files.createTempFile("argus-owner", ".probe");
            try {
                processUser = Files.getOwner(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
        }
        return processUser;
    }

    private static UserPrincipal processUser;

    private static void createPrivately(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made meanwhile by another process; checked like any other
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
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
