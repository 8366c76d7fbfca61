package dev.argus.rest;

import dev.argus.ports.service.Admission;
import dev.argus.ports.service.MemoryBudget;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A request body as it arrived: fixed-size chunks, each allocated only once its bytes are there and reserved in the
 * front end's {@link MemoryBudget} (the core {@link Admission}'s). Parsers read it as a stream or chunk by chunk (no copy); {@link #toByteArray()} makes the
 * one copy a raw image needs. What is parsed out of it (images) is reserved through {@link #reserve} too. Closing it
 * gives everything back; the request's admission closes it once the request and its work have ended.
 *
 * <p>Chunks are reused: closing a body puts the chunks it took back in a pool shared by all bodies (at most
 * {@link #POOLED_CHUNKS}), so that steady traffic allocates none (a 1.4 MB photo is 22 of them). Nothing is read past
 * {@link #size()}, so what an earlier request left in a chunk is never seen. A chunk that left as the image itself
 * ({@link #toByteArray()}) is not pooled.
 */
final class Body implements AutoCloseable {
    static final int CHUNK = 64 * 1024;
    /** Free chunks kept for the next bodies: 16 MiB at most. */
    static final int POOLED_CHUNKS = 256;
    private static final ArrayBlockingQueue<byte[]> FREE = new ArrayBlockingQueue<>(POOLED_CHUNKS);
    private final Admission admission;
    private final MemoryBudget memory;
    private final List<byte[]> chunks = new ArrayList<>();
    /** The chunks this body took from the pool or allocated, which go back to the pool at the end. */
    private final List<byte[]> taken = new ArrayList<>();
    private long size;
    private long reserved;

    Body(Admission admission) {
        this.admission = admission;
        this.memory = admission.memory();
    }

    /** An already complete body (tests). */
    static Body of(byte[] bytes) {
        Body b = new Body(new Admission(new Admission.Limits("test bodies", 1, "-", Long.MAX_VALUE, "-",
                java.time.Duration.ZERO, null)));
        b.chunks.add(bytes);
        b.size = bytes.length;
        return b;
    }

    /** A new chunk to fill, reserved first. */
    byte[] newChunk() {
        reserve(CHUNK);
        byte[] c = FREE.poll();
        if (c == null) {
            c = new byte[CHUNK];
        }
        taken.add(c);
        chunks.add(c);
        return c;
    }

    void filled(int n) {
        size += n;
    }

    long size() {
        return size;
    }

    /**
     * Reserves {@code bytes} more for this request (what it parses out of the body). More than the whole budget for
     * this one request is 413 (it could never be served); more than is free now is 429 (others hold it).
     */
    void reserve(long bytes) {
        if (reserved + bytes > memory.capacity()) {
            throw RestError.of(admission.memoryTooSmall());
        }
        if (!memory.tryReserve(bytes)) {
            throw RestError.of(admission.memoryBusy());
        }
        reserved += bytes;
    }

    /** The chunks holding the body, in order; the last one is filled up to {@link #size()}. */
    List<byte[]> chunks() {
        return Collections.unmodifiableList(chunks);
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

    /** The body as one array: one copy, which replaces the chunks (their reservation goes back). */
    byte[] toByteArray() {
        if (chunks.size() == 1 && chunks.get(0).length == size) {
            taken.remove(chunks.get(0)); // it is the image now
            return chunks.get(0);
        }
        long chunked = (long) chunks.size() * CHUNK;
        reserve(size);
        byte[] out = join(chunks, size);
        chunks.clear();
        chunks.add(out);
        release(chunked);
        return out;
    }

    /** Gives back {@code bytes} of this request's reservation (what it no longer holds). */
    void release(long bytes) {
        memory.release(bytes);
        reserved -= bytes;
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

    /** Free chunks in the pool now (tests). */
    static int pooled() {
        return FREE.size();
    }

    @Override
    public void close() {
        for (byte[] c : taken) {
            FREE.offer(c);
        }
        taken.clear();
        chunks.clear();
        memory.release(reserved);
        reserved = 0;
    }
}
