package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.concurrent.Semaphore;

/** Bounds the Classifier calls in flight: a call that finds no free slot is refused at once, never queued. */
final class InferenceSlots {
    private final int max;
    private final Semaphore permits;

    InferenceSlots(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /** Takes a slot or fails with {@code OVERLOADED}. Release it with {@link #release()}. */
    void acquire() {
        if (!tryAcquire()) {
            throw new ArgusException(ErrorCode.OVERLOADED, busyMessage());
        }
    }

    boolean tryAcquire() {
        return permits.tryAcquire();
    }

    int inUse() {
        return max - permits.availablePermits();
    }

    String busyMessage() {
        return "All " + max + " gRPC call slots are busy (argus.grpc.max-concurrent-calls); retry later with backoff.";
    }

    void release() {
        permits.release();
    }
}
