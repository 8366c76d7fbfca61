package dev.argus.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.TestConfigs;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.ModelInfo;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The engine stage's series per model version, and what each version runs with. */
class InferenceMetricsTest {
    private static final ClassifyImageUseCase UNUSED = new ClassifyImageUseCase() {
        @Override
        public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelInfo model() {
            throw new UnsupportedOperationException();
        }
    };

    private static ServedModel model(String name, String version, Optional<Supplier<InferenceStatistics>> statistics) {
        return new ServedModel(name, version, UNUSED, Optional.empty(), List.of(), true, () -> true, statistics);
    }

    @Test
    void eachVersionHasItsEngineStatisticsLoadTimeAndSizing() {
        ModelCatalog catalog = new ModelCatalog();
        EngineFacts engines = new EngineFacts();
        long[] batches = {0, 3, 1};
        catalog.put(model("resnet", "1", Optional.of(() -> new InferenceStatistics(5, 1, 4, 5_000, 1_000, 40_000, 2_000,
                batches, 2))));
        engines.put("resnet", "1", new EngineFacts.Facts("onnx", "cpu", "tuned", 2, 4, 8, 1.25));
        catalog.put(model("remote", "1", Optional.empty()));
        engines.put("remote", "1", new EngineFacts.Facts("cloudflare", "remote", "none", 0, 0, 0, 0.01));
        PrometheusRegistry registry = new PrometheusRegistry();
        InferenceMetrics.register(registry, catalog, engines);
        String text = Scrape.text(registry);

        String resnet = "model=\"resnet\",version=\"1\"";
        assertThat(text).contains("argus_inference_request_success_total{" + resnet + "} 5")
                .contains("argus_inference_exec_count_total{batch_size=\"2\"," + resnet + "} 1")
                .contains("argus_inference_compute_infer_duration_us_total{" + resnet + "} 40.0")
                .contains("argus_inference_pending_request_count{" + resnet + "} 2")
                .contains("argus_model_version_info{backend=\"onnx\",device=\"cpu\",model=\"resnet\",sizing=\"tuned\",version=\"1\"} 1")
                .contains("argus_model_version_load_seconds{" + resnet + "} 1.25")
                .contains("argus_inference_workers{" + resnet + "} 2")
                .contains("argus_inference_threads_per_worker{" + resnet + "} 4")
                .contains("argus_inference_max_batch_size{" + resnet + "} 8");
        assertThat(text).as("a remote backend: what it is and its load time, no engine sizing")
                .contains("argus_model_version_info{backend=\"cloudflare\",device=\"remote\",model=\"remote\",sizing=\"none\",version=\"1\"} 1")
                .contains("argus_model_version_load_seconds{model=\"remote\",version=\"1\"}")
                .doesNotContain("argus_inference_workers{model=\"remote\"")
                .doesNotContain("argus_inference_request_success_total{model=\"remote\"");

        catalog.remove("resnet", "1");
        engines.remove("resnet", "1");
        assertThat(Scrape.text(registry)).as("an unloaded version leaves the metrics").doesNotContain("model=\"resnet\"");
    }

    @Test
    void factsComeFromTheConfigurationTheEngineRunsWith() {
        EngineFacts.Facts facts = EngineFacts.Facts.of(TestConfigs.probe(), 0.5);
        assertThat(facts.backend()).isEqualTo("onnx");
        assertThat(facts.device()).isEqualTo("cpu");
        assertThat(facts.sizing()).isEqualTo("rule");
        assertThat(facts.workers()).isPositive();
        assertThat(facts.threadsPerWorker()).isPositive();
        assertThat(facts.maxBatch()).isEqualTo(8);
        assertThat(facts.local()).isTrue();
        assertThat(EngineFacts.Facts.of(TestConfigs.probe().withSizing(3, 2, 16, "argus tune: measured"), 0.5))
                .extracting(EngineFacts.Facts::sizing, EngineFacts.Facts::workers, EngineFacts.Facts::maxBatch)
                .containsExactly("tuned", 3, 16);
    }
}
