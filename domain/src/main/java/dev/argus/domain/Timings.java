package dev.argus.domain;

/**
 * Where the time of one classification went, in nanoseconds. For a batch, each image carries the batch's inference
 * time divided by the batch size.
 */
public record Timings(long decodeNanos, long inferenceNanos, long postprocessNanos) {
    public static final Timings NONE = new Timings(0, 0, 0);

    public long totalNanos() {
        return decodeNanos + inferenceNanos + postprocessNanos;
    }
}
