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
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
