package dev.argus.app.serve;

import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The engine stage's series, named and meant as Triton's {@code nv_inference_*} (README, Metrics): {@code argus_inference_X}
 * is {@code nv_inference_X}, labelled by model and version, for every model the catalog serves when scraped. Counts are
 * of images; durations in microseconds, summed over images, each image charged its whole batch's time.
 * {@code argus_inference_exec_count_total{batch_size}} is the histogram of executed batch sizes (Triton's per-batch-size
 * statistics). {@code argus_model_version_ready} is 1 for each model version that is ready.
 *
 * <p>Beside them, what each version runs with ({@link EngineFacts}): {@code argus_model_version_info{backend,device,sizing}},
 * {@code argus_model_version_load_seconds}, and for a local backend the sizing in force,
 * {@code argus_inference_workers}, {@code argus_inference_threads_per_worker} and {@code argus_inference_max_batch_size}.
 */
final class InferenceMetrics {
    private InferenceMetrics() {
    }

    static void register(PrometheusRegistry registry, ModelCatalog catalog, EngineFacts engines) {
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
        registry.register(new VersionInfo(catalog, engines));
        fact(registry, "argus_model_version_load_seconds", "Seconds the model version took to fetch (when not cached) and "
                + "load, before its warm-up", catalog, engines, f -> true, EngineFacts.Facts::loadSeconds);
        fact(registry, "argus_inference_workers", "Engine calls the model version runs at once (argus.inference.workers "
                + "in force)", catalog, engines, EngineFacts.Facts::local, EngineFacts.Facts::workers);
        fact(registry, "argus_inference_threads_per_worker", "Engine threads per engine call", catalog, engines,
                EngineFacts.Facts::local, EngineFacts.Facts::threadsPerWorker);
        fact(registry, "argus_inference_max_batch_size", "Most images per engine call (argus.inference.max-batch in force)",
                catalog, engines, EngineFacts.Facts::local, EngineFacts.Facts::maxBatch);
    }

    private static void fact(PrometheusRegistry registry, String name, String help, ModelCatalog catalog, EngineFacts engines,
                             Predicate<EngineFacts.Facts> applies,
                             ToDoubleFunction<EngineFacts.Facts> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("model", "version")
                .callback(cb -> {
                    for (ServedModel m : catalog.models()) {
                        engines.of(m).filter(applies).ifPresent(f -> cb.call(value.applyAsDouble(f), m.name(), m.version()));
                    }
                }).register(registry);
    }

    /** {@code argus_model_version_info}: 1 per served version, labelled with its backend, device and sizing. */
    private record VersionInfo(ModelCatalog catalog, EngineFacts engines) implements Collector {
        @Override
        public MetricSnapshot collect() {
            InfoSnapshot.Builder info = InfoSnapshot.builder().name("argus_model_version")
                    .help("What each model version runs on: backend, device, and where its sizing came from (tuned, "
                            + "configured, rule)");
            for (ServedModel m : catalog.models()) {
                engines.of(m).ifPresent(f -> info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("model", m.name(), "version", m.version(), "backend", f.backend(), "device",
                                f.device(), "sizing", f.sizing())).build()));
            }
            return info.build();
        }

        @Override
        public String getPrometheusName() {
            return "argus_model_version";
        }
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
