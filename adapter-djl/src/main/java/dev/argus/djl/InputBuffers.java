package dev.argus.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One reusable direct buffer per calling thread for the input tensor. Handing DJL a heap {@code float[]} makes it
 * allocate a fresh direct buffer per call, freed only when the garbage collector gets round to it: with a small heap
 * that is rarely, and the process's RSS climbs by gigabytes before it does. The engines copy the input into their own
 * tensor before the call returns, so a thread can reuse its buffer on its next call.
 */
final class InputBuffers {
    /** Larger inputs (over 32 MiB, e.g. batch > 160 at 224x224) get a one-off buffer rather than a cached one. */
    private static final int MAX_CACHED_BYTES = 32 << 20;
    private static final ThreadLocal<ByteBuffer> CACHE = new ThreadLocal<>();

    private InputBuffers() {
    }

    /** A native-order direct buffer holding {@code data}, positioned at 0 with exactly its bytes remaining. */
    static ByteBuffer of(float[] data) {
        int bytes = Math.multiplyExact(data.length, Float.BYTES);
        ByteBuffer buf = CACHE.get();
        if (buf == null || buf.capacity() < bytes) {
            buf = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            if (bytes <= MAX_CACHED_BYTES) {
                CACHE.set(buf);
            }
        }
        buf.clear();
        buf.asFloatBuffer().put(data);
        buf.limit(bytes);
        return buf.slice().order(ByteOrder.nativeOrder());
    }
}
