package dev.argus.ports.service;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bytes that requests may hold at once (their bodies or messages, and what is parsed out of them), across all requests
 * of a front end. Bytes are reserved as they arrive, never as a client announces them, and given back when the request
 * ends. Two ways in: {@link #tryReserve} for a thread that reads a body and answers at once when the server holds too
 * much (REST), and {@link #request} for an asynchronous transport that must not read a message until its memory is
 * granted (gRPC: HTTP/2 flow control then keeps the client's bytes on the client). Requests that wait are granted first
 * come, first served, and a waiting request is not overtaken by {@link #tryReserve}.
 */
public final class MemoryBudget {
    private final long capacity;
    private long used;
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    public MemoryBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a memory budget needs at least one byte, not " + capacity);
        }
        this.capacity = capacity;
    }

    public long capacity() {
        return capacity;
    }

    public synchronized long used() {
        return used;
    }

    /** Reserves {@code bytes} if they fit now (and nobody waits ahead); the caller gives them back with {@link #release}. */
    public synchronized boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes " + bytes);
        }
        if (!waiting.isEmpty() || used + bytes > capacity) {
            return false;
        }
        used += bytes;
        return true;
    }

    /** A request for memory, granted now or later through {@code onGranted} (run on the thread that made room). */
    public final class Waiter {
        private final long bytes;
        private final Runnable onGranted;
        private boolean granted;

        private Waiter(long bytes, Runnable onGranted) {
            this.bytes = bytes;
            this.onGranted = onGranted;
        }

        /** Gives up waiting; once granted it is too late, and the grantee gives the memory back itself. */
        public void cancel() {
            synchronized (MemoryBudget.this) {
                if (!granted) {
                    waiting.remove(this);
                }
            }
        }
    }

    /** Asks for {@code bytes} (at most the capacity); {@code onGranted} runs once they are reserved. */
    public Waiter request(long bytes, Runnable onGranted) {
        Waiter w = new Waiter(Math.min(bytes, capacity), onGranted);
        boolean now;
        synchronized (this) {
            now = waiting.isEmpty() && used + w.bytes <= capacity;
            if (now) {
                used += w.bytes;
                w.granted = true;
            } else {
                waiting.addLast(w);
            }
        }
        if (now) {
            w.onGranted.run();
        }
        return w;
    }

    /** Returns {@code bytes} and grants waiting requests that now fit, in order. */
    public void release(long bytes) {
        Deque<Waiter> grant = new ArrayDeque<>();
        synchronized (this) {
            used -= bytes;
            while (!waiting.isEmpty() && used + waiting.peekFirst().bytes <= capacity) {
                Waiter w = waiting.removeFirst();
                used += w.bytes;
                w.granted = true;
                grant.add(w);
            }
        }
        for (Waiter w : grant) {
            w.onGranted.run();
        }
    }
}
