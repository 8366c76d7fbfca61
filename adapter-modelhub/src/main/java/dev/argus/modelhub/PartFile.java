package dev.argus.modelhub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .part} file a download writes into. Local failures surface as non-retryable {@link HubFailure}s
 * ({@code LOCAL_IO}), never as network errors; {@link #close()} forces the data to disk before it is moved into place.
 */
final class PartFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private PartFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens for appending after {@code offset} bytes, or truncated when {@code offset == 0}. */
    static PartFile open(Path path, long offset) throws HubFailure {
        try {
            Files.createDirectories(path.getParent());
            // Never through a link: a .part planted as a symlink would send the download outside the cache.
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            channel.truncate(offset);
            channel.position(offset);
            return new PartFile(path, channel);
        } catch (IOException e) {
            throw HubFailure.localIo(path, e);
        }
    }

    /** Bytes already in an existing {@code .part}, or 0. */
    static long existingLength(Path path) throws HubFailure {
        try {
            return Files.isRegularFile(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            throw HubFailure.localIo(path, e);
        }
    }

    /**
     * Keeps an existing {@code .part} only if it was started from the same remote file: same commit, hash and size,
     * as recorded in {@code <part>.from}. Otherwise (another revision, or a server that identifies nothing, where a
     * resume could splice two versions into one file) it is deleted and the download starts from zero.
     */
    static void keepOnlyIfFrom(Path part, RemoteFile remote) throws HubFailure {
        Path from = sourceOf(part);
        String identity = "commit=" + remote.commit() + ";sha256=" + remote.sha256() + ";size=" + remote.size();
        boolean identified = remote.commit() != null || remote.sha256() != null;
        try {
            Files.createDirectories(part.getParent());
            String recorded = Files.isRegularFile(from) ? Files.readString(from) : null;
            if (!identified || !identity.equals(recorded)) {
                if (Files.exists(part)) {
                    System.getLogger(PartFile.class.getName()).log(System.Logger.Level.INFO,
                            "Not resuming {0}: it was started from {1}, the Hub now offers {2}", part,
                            recorded == null ? "an unknown version" : recorded, identified ? identity : "an unidentified file");
                }
                delete(part);
                Files.writeString(from, identity);
            }
        } catch (IOException e) {
            throw HubFailure.localIo(from, e);
        }
    }

    /** Removes the {@code .from} record once the download is done or abandoned. */
    static void forgetSource(Path part) {
        try {
            Files.deleteIfExists(sourceOf(part));
        } catch (IOException ignored) {
            // a stale record only makes the next download start from zero
        }
    }

    private static Path sourceOf(Path part) {
        return part.resolveSibling(part.getFileName() + ".from");
    }

    static void delete(Path path) throws HubFailure {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw HubFailure.localIo(path, e);
        }
    }

    void write(byte[] bytes, int length) throws HubFailure {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw HubFailure.localIo(path, e);
        }
    }

    @Override
    public void close() throws HubFailure {
        try (FileChannel c = channel) {
            c.force(true);
        } catch (IOException e) {
            throw HubFailure.localIo(path, e);
        }
    }
}
