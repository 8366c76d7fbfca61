package dev.argus.bench.run;

import java.util.List;

/**
 * What one worker process measured for one backend in one repetition; written as JSON for the orchestrator.
 *
 * @param status            {@code ok}, {@code unavailable} (the backend cannot run here; {@code reason} says why) or
 *                          {@code failed} (it started but the run broke)
 * @param loadMillis        backend start: model resolution, engine creation, session/graph load
 * @param firstAnswerMillis from the start of loading to the first classification returned
 * @param peakRssPerPhase   whether the measurements' peak RSS covers their own phase (else: since process start)
 */
public record WorkerResult(String backendId, int repetition, String status, String reason, String engine, String model,
                           long loadMillis, long firstAnswerMillis, long rssAfterLoadBytes, long heapAfterLoadBytes,
                           boolean peakRssPerPhase, int cpus, List<Measurement> measurements, List<Answer> answers) {
    public static final String OK = "ok";
    public static final String UNAVAILABLE = "unavailable";
    public static final String FAILED = "failed";

    public WorkerResult {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    static WorkerResult notRun(String backendId, int repetition, String status, String reason) {
        return new WorkerResult(backendId, repetition, status, reason, null, null, 0, 0, 0, 0, false, ResourceMeter.cpus(),
                List.of(), List.of());
    }

    /** The measured phase of one setting. Times in ms; per-image split means over answered images. */
    public record Measurement(String kind, int batch, int concurrency, int calls, int images, int failedImages,
                              int failedCalls, double wallSeconds, double imagesPerSecond, double p50Ms, double p90Ms,
                              double p99Ms, double maxMs, double meanMs, double[] latencyQuantilesMs, double decodeMs,
                              double inferenceMs, double postprocessMs, double cpuUtilisation, long peakRssBytes,
                              long peakHeapBytes, List<String> errors) {
        /** The whole pipeline: encoded image in, labels out. */
        public static final String PIPELINE = "pipeline";
        /** The bare engine call on pre-made tensors: the baseline. */
        public static final String ENGINE = "engine";
    }

    /**
     * One image's answer for the agreement pass: classes best first (all of them where the backend gives them), and
     * the raw logits where the engine runs here.
     */
    public record Answer(String image, String error, int[] classes, float[] scores, float[] logits) {
    }
}
