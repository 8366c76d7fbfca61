package dev.argus.rest;

import dev.argus.domain.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that request bodies (and what is parsed out of them) may hold at once, across all requests. Bytes are
 * reserved as they arrive, never as a client announces them, and given back when the request ends. A request that
 * would go over is answered 429/3040 at once: the server is receiving more than it can hold, and the client may retry.
 */
final class BodyMemory {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyMemory(long capacity) {
        this.capacity = capacity;
    }

    long capacity() {
        return capacity;
    }

    long used() {
        return used.get();
    }

    /** Reserves {@code bytes} or throws 429/3040; the caller gives them back with {@link #release}. */
    void reserve(long bytes) {
        long before = used.get();
        while (before + bytes <= capacity && !used.compareAndSet(before, before + bytes)) {
            before = used.get();
        }
        if (before + bytes > capacity) {
            throw RestError.of(ErrorCode.OVERLOADED, "The server is receiving more request data at once than it holds ("
                    + capacity / (1024 * 1024) + " MiB in all, argus.rest.max-body-bytes-in-flight). Retry shortly.");
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
