package dev.argus.rest;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A request body as it arrived: fixed-size chunks, each allocated only once its bytes are there and reserved in the
 * server's {@link BodyMemory}. Parsers read it as a stream (no copy); {@link #toByteArray()} makes the one copy a raw
 * image needs. What is parsed out of it (images) is reserved through {@link #reserve} too. Closing it gives everything
 * back.
 */
final class Body implements AutoCloseable {
    static final int CHUNK = 64 * 1024;
    private final BodyMemory memory;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private long reserved;

    Body(BodyMemory memory) {
        this.memory = memory;
    }

    /** An already complete body (tests, and parts of a multipart body). */
    static Body of(byte[] bytes) {
        Body b = new Body(new BodyMemory(Long.MAX_VALUE));
        b.chunks.add(bytes);
        b.size = bytes.length;
        return b;
    }

    /** A new chunk to fill, reserved first. */
    byte[] newChunk() {
        reserve(CHUNK);
        byte[] c = new byte[CHUNK];
        chunks.add(c);
        return c;
    }

    void filled(int n) {
        size += n;
    }

    long size() {
        return size;
    }

    /** Reserves {@code bytes} more for this request (what it parses out of the body), or throws 429/3040. */
    void reserve(long bytes) {
        memory.reserve(bytes);
        reserved += bytes;
    }

    InputStream stream() {
        List<InputStream> parts = new ArrayList<>();
        long left = size;
        for (byte[] c : chunks) {
            int n = (int) Math.min(c.length, left);
            parts.add(new java.io.ByteArrayInputStream(c, 0, n));
            left -= n;
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** The body as one array (one copy; reserved like the chunks). */
    byte[] toByteArray() {
        if (chunks.size() == 1 && chunks.get(0).length == size) {
            return chunks.get(0);
        }
        reserve(size);
        return join(chunks, size);
    }

    /** The first {@code size} bytes of {@code chunks}, in one array. */
    static byte[] join(List<byte[]> chunks, long size) {
        byte[] out = new byte[(int) size];
        int at = 0;
        for (byte[] c : chunks) {
            int n = (int) Math.min(c.length, size - at);
            System.arraycopy(c, 0, out, at, n);
            at += n;
        }
        return out;
    }

    /** The first byte that is not blank, or -1. */
    int firstNonBlank() {
        long left = size;
        for (byte[] c : chunks) {
            int n = (int) Math.min(c.length, left);
            for (int i = 0; i < n; i++) {
                byte b = c[i];
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b & 0xFF;
                }
            }
            left -= n;
        }
        return -1;
    }

    @Override
    public void close() {
        chunks.clear();
        memory.release(reserved);
        reserved = 0;
    }
}
