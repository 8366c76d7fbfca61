package dev.argus.app.serve;

import dev.argus.ports.in.InferenceStatistics;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The engine stage's series, named and meant as Triton's {@code nv_inference_*} (README, Metrics): {@code argus_inference_X}
 * is {@code nv_inference_X}, labelled by model. Counts are of images; durations in microseconds, summed over images,
 * each image charged its whole batch's time. {@code argus_inference_exec_count_total{batch_size}} is the histogram of
 * executed batch sizes (Triton's per-batch-size statistics).
 */
final class InferenceMetrics {
    private InferenceMetrics() {
    }

    static void register(PrometheusRegistry registry, String model, Supplier<InferenceStatistics> stats) {
        counter(registry, "argus_inference_request_success", "Images that got logits", model, stats, s -> s.success());
        counter(registry, "argus_inference_request_failure",
                "Images that did not: refused at a full queue, given up by their caller, or in a failed engine call", model,
                stats, s -> s.failure());
        counter(registry, "argus_inference_count", "Images inferred (in engine calls that succeeded)", model, stats,
                s -> s.success());
        counter(registry, "argus_inference_queue_duration_us", "Microseconds images waited between admission and their "
                + "engine call", model, stats, s -> s.queueNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_input_duration_us", "Microseconds assembling batch tensors, per image",
                model, stats, s -> s.inputNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_infer_duration_us", "Microseconds in the engine, per image", model, stats,
                s -> s.inferNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_output_duration_us", "Microseconds splitting logits per image", model,
                stats, s -> s.outputNanos() / 1_000.0);
        CounterWithCallback.builder().name("argus_inference_exec_count")
                .help("Engine calls, by batch size").labelNames("model", "batch_size")
                .callback(cb -> {
                    long[] counts = stats.get().batchSizeCounts();
                    for (int size = 1; size < counts.length; size++) {
                        cb.call(counts[size], model, Integer.toString(size));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("argus_inference_pending_request_count")
                .help("Images admitted and waiting for an engine call").labelNames("model")
                .callback(cb -> cb.call(stats.get().pending(), model)).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, String model,
                                Supplier<InferenceStatistics> stats, java.util.function.ToDoubleFunction<InferenceStatistics> f) {
        CounterWithCallback.builder().name(name).help(help).labelNames("model")
                .callback(cb -> cb.call(f.applyAsDouble(stats.get()), model)).register(registry);
    }
}
