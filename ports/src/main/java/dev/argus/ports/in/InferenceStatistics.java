package dev.argus.ports.in;

/**
 * Cumulative statistics of a model's engine stage since start, with the meaning of Triton's {@code nv_inference_*}
 * metrics. Counts are of images (Triton's requests of one image each); each duration is summed over images, and an
 * image is charged its whole batch's time, as Triton charges each request of a batch.
 *
 * @param success          images that got logits ({@code nv_inference_request_success})
 * @param failure          images that did not: refused at a full queue, given up by their caller, or in a failed engine
 *                         call ({@code nv_inference_request_failure})
 * @param executions       engine calls ({@code nv_inference_exec_count})
 * @param queueNanos       time between admission and the start of the engine call ({@code nv_inference_queue_duration_us})
 * @param inputNanos       assembling the batch tensor ({@code nv_inference_compute_input_duration_us})
 * @param inferNanos       the engine call ({@code nv_inference_compute_infer_duration_us})
 * @param outputNanos      splitting the logits back per image ({@code nv_inference_compute_output_duration_us})
 * @param batchSizeCounts  engine calls per batch size (index = batch size; Triton's per-batch-size statistics)
 * @param pending          images admitted and not yet in an engine call ({@code nv_inference_pending_request_count})
 */
public record InferenceStatistics(long success, long failure, long executions, long queueNanos, long inputNanos,
                                  long inferNanos, long outputNanos, long[] batchSizeCounts, int pending) {
    public InferenceStatistics {
        batchSizeCounts = batchSizeCounts.clone();
    }

    /** Time spent on the successful images in the engine stage: queue, input, infer and output, as Triton's success. */
    public long successNanos() {
        return queueNanos + inputNanos + inferNanos + outputNanos;
    }

    @Override
    public long[] batchSizeCounts() {
        return batchSizeCounts.clone();
    }
}
