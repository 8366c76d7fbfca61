package dev.argus.grpc;

import java.util.concurrent.Semaphore;

/** Bounds the Classifier calls in flight: a call that finds no free slot is refused at once, never queued. */
final class InferenceSlots {
    private final int max;
    private final Semaphore permits;

    InferenceSlots(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
    }

    /** Takes a slot if one is free; release it with {@link #release()}. */
    boolean tryAcquire() {
        return permits.tryAcquire();
    }

    String busyMessage() {
        return "All " + max + " gRPC call slots are busy (argus.grpc.max-concurrent-calls); retry later with backoff.";
    }

    void release() {
        permits.release();
    }
}
