package dev.argus.ports.service;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reused image rows: one preprocessed image is {@code 3 x 224 x 224} floats (588 KiB), more than half a G1 region on
 * heaps up to 1 GiB, so each new one is a humongous allocation. The pipeline takes a row here for every image it
 * decodes and gives it back once the engine is done with it; at most {@code capacity} rows are kept, so the pool
 * never holds more than that however busy the pipeline was.
 */
final class RowPool {
    private final int rowLength;
    private final ArrayBlockingQueue<float[]> free;

    RowPool(int rowLength, int capacity) {
        this.rowLength = rowLength;
        this.free = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    /** A row to fill completely (its old values are not cleared). */
    float[] take() {
        float[] row = free.poll();
        return row != null ? row : new float[rowLength];
    }

    /** Gives a row back; one that nobody may still read or write. Kept if there is room, else left to the GC. */
    void give(float[] row) {
        if (row != null && row.length == rowLength) {
            free.offer(row);
        }
    }

    /** Rows kept now (tests). */
    int kept() {
        return free.size();
    }
}
