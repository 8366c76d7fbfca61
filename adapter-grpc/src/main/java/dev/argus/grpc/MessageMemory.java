package dev.argus.grpc;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The memory request messages may hold at once, in bytes, across all calls and connections. A call is granted its
 * share before its first message is read, and waits without reading (so that HTTP/2 flow control keeps the client's
 * bytes on the client's side) while others hold the memory; grants go first come, first served. What a waiting call
 * costs the server is its flow-control window, not its message.
 */
final class MessageMemory {
    private final long capacity;
    private long used;
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    MessageMemory(long capacity) {
        this.capacity = capacity;
    }

    long capacity() {
        return capacity;
    }

    synchronized long used() {
        return used;
    }

    /** A request for memory, granted now or later through {@code onGranted} (run on the releasing thread). */
    final class Waiter {
        private final long bytes;
        private final Runnable onGranted;
        private boolean granted;

        private Waiter(long bytes, Runnable onGranted) {
            this.bytes = bytes;
            this.onGranted = onGranted;
        }

        /** Gives up waiting; once granted it is too late, and the grantee gives the memory back itself. */
        void cancel() {
            synchronized (MessageMemory.this) {
                if (!granted) {
                    waiting.remove(this);
                }
            }
        }
    }

    /** Asks for {@code bytes} (at most the capacity); {@code onGranted} runs once they are reserved. */
    Waiter request(long bytes, Runnable onGranted) {
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
    void release(long bytes) {
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
