package dev.argus.app.serve;

import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The engine stage's series, named and meant as Triton's {@code nv_inference_*} (README, Metrics): {@code argus_inference_X}
 * is {@code nv_inference_X}, labelled by model and version, for every model the catalog serves when scraped. Counts are
 * of images; durations in microseconds, summed over images, each image charged its whole batch's time.
 * {@code argus_inference_exec_count_total{batch_size}} is the histogram of executed batch sizes (Triton's per-batch-size
 * statistics). {@code argus_model_version_ready} is 1 for each model version that is ready.
 */
final class InferenceMetrics {
    private InferenceMetrics() {
    }

    static void register(PrometheusRegistry registry, ModelCatalog catalog) {
        counter(registry, "argus_inference_request_success", "Images that got logits", catalog, s -> s.success());
        counter(registry, "argus_inference_request_failure",
                "Images that did not: refused at a full queue, given up by their caller, or in a failed engine call",
                catalog, s -> s.failure());
        counter(registry, "argus_inference_count", "Images inferred (in engine calls that succeeded)", catalog, s -> s.success());
        counter(registry, "argus_inference_queue_duration_us", "Microseconds images waited between admission and their "
                + "engine call", catalog, s -> s.queueNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_input_duration_us", "Microseconds assembling batch tensors, per image",
                catalog, s -> s.inputNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_infer_duration_us", "Microseconds in the engine, per image", catalog,
                s -> s.inferNanos() / 1_000.0);
        counter(registry, "argus_inference_compute_output_duration_us", "Microseconds splitting logits per image", catalog,
                s -> s.outputNanos() / 1_000.0);
        CounterWithCallback.builder().name("argus_inference_exec_count")
                .help("Engine calls, by batch size").labelNames("model", "version", "batch_size")
                .callback(cb -> {
                    for (ServedModel m : catalog.models()) {
                        if (m.statistics().isPresent()) {
                            long[] counts = m.statistics().get().get().batchSizeCounts();
                            for (int size = 1; size < counts.length; size++) {
                                cb.call(counts[size], m.name(), m.version(), Integer.toString(size));
                            }
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("argus_inference_pending_request_count")
                .help("Images admitted and waiting for an engine call").labelNames("model", "version")
                .callback(cb -> {
                    for (ServedModel m : catalog.models()) {
                        m.statistics().ifPresent(st -> cb.call(st.get().pending(), m.name(), m.version()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("argus_model_version_ready")
                .help("1 for each model version that is loaded and warmed up, else 0").labelNames("model", "version")
                .callback(cb -> {
                    for (ServedModel m : catalog.models()) {
                        cb.call(m.isReady() ? 1 : 0, m.name(), m.version());
                    }
                }).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help, ModelCatalog catalog,
                                ToDoubleFunction<InferenceStatistics> f) {
        CounterWithCallback.builder().name(name).help(help).labelNames("model", "version")
                .callback(cb -> {
                    for (ServedModel m : catalog.models()) {
                        m.statistics().ifPresent(st -> cb.call(f.applyAsDouble(st.get()), m.name(), m.version()));
                    }
                }).register(registry);
    }
}
