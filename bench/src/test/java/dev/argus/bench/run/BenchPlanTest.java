package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchPlanTest {
    private static final List<BackendSpec> BACKENDS = List.of(
            new BackendSpec("onnx", "onnx", Optional.empty()),
            new BackendSpec("djl-pytorch", "djl-pytorch", Optional.of("m.pt")));

    /** A valid plan with one knob changed at a time. */
    private record P(String reference, int generated, int warmup, int requests, double duration, List<Integer> batches,
                     List<Integer> concurrency, int repetitions) {
        static P valid() {
            return new P("onnx", 10, 2, 20, 0, List.of(1, 8), List.of(1, 4), 3);
        }

        BenchPlan plan() {
            return new BenchPlan(BACKENDS, reference, Optional.empty(), generated, warmup, requests, duration, batches,
                    concurrency, repetitions, true, false);
        }

        P reference(String r) {
            return new P(r, generated, warmup, requests, duration, batches, concurrency, repetitions);
        }

        P generated(int g) {
            return new P(reference, g, warmup, requests, duration, batches, concurrency, repetitions);
        }

        P warmup(int w) {
            return new P(reference, generated, w, requests, duration, batches, concurrency, repetitions);
        }

        P requests(int r) {
            return new P(reference, generated, warmup, r, duration, batches, concurrency, repetitions);
        }

        P duration(double d) {
            return new P(reference, generated, warmup, requests, d, batches, concurrency, repetitions);
        }

        P withBatches(Integer... b) {
            return new P(reference, generated, warmup, requests, duration, List.of(b), concurrency, repetitions);
        }

        P withConcurrency(Integer... c) {
            return new P(reference, generated, warmup, requests, duration, batches, List.of(c), repetitions);
        }

        P repetitions(int r) {
            return new P(reference, generated, warmup, requests, duration, batches, concurrency, r);
        }
    }

    private static void refused(P p, String option) {
        assertThatThrownBy(p::plan)
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining(option);
    }

    @Test
    void acceptsAValidPlan() {
        BenchPlan plan = P.valid().plan();
        assertThat(plan.reference()).isEqualTo("onnx");
        assertThat(plan.images()).isEmpty();
        assertThat(plan.backend("djl-pytorch").value()).contains("m.pt");
    }

    @Test
    void theReferenceMustBeABenchmarkedBackend() {
        assertThatThrownBy(() -> P.valid().reference("grpc").plan())
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("'grpc'")
                .hasMessageContaining("onnx")
                .hasMessageContaining("djl-pytorch")
                .hasMessageContaining("--reference");
        assertThat(P.valid().reference("djl-pytorch").plan().reference()).isEqualTo("djl-pytorch");
    }

    @Test
    void refusesNoBackends() {
        assertThatThrownBy(() -> new BenchPlan(List.of(), "onnx", Optional.empty(), 10, 1, 1, 0, List.of(1), List.of(1), 1, true, false))
                .isInstanceOf(ArgusException.class).hasMessageContaining("No backends");
    }

    @Test
    void batchSizesMustBe1To256AndNotEmpty() {
        refused(P.valid().withBatches(0), "--batch-sizes");
        refused(P.valid().withBatches(1, 257), "--batch-sizes");
        refused(P.valid().withBatches(), "--batch-sizes");
        assertThat(P.valid().withBatches(1, BenchPlan.MAX_BATCH).plan().batchSizes()).containsExactly(1, 256);
    }

    @Test
    void concurrencyMustBe1To256AndNotEmpty() {
        refused(P.valid().withConcurrency(0), "--concurrency");
        refused(P.valid().withConcurrency(2, 257), "--concurrency");
        refused(P.valid().withConcurrency(), "--concurrency");
        assertThat(P.valid().withConcurrency(BenchPlan.MAX_CONCURRENCY).plan().concurrency()).containsExactly(256);
    }

    @Test
    void repetitionsMustBe1To100() {
        refused(P.valid().repetitions(0), "--repetitions");
        refused(P.valid().repetitions(101), "--repetitions");
        assertThat(P.valid().repetitions(100).plan().repetitions()).isEqualTo(100);
        assertThat(P.valid().repetitions(1).plan().repetitions()).isEqualTo(1);
    }

    @Test
    void requestsMustBe1To10Million() {
        refused(P.valid().requests(0), "--requests");
        refused(P.valid().requests(10_000_001), "--requests");
        assertThat(P.valid().requests(10_000_000).plan().requests()).isEqualTo(10_000_000);
    }

    @Test
    void durationMustBe0To86400SecondsAndANumber() {
        refused(P.valid().duration(-0.5), "--duration");
        refused(P.valid().duration(86_400.5), "--duration");
        refused(P.valid().duration(Double.NaN), "--duration");
        refused(P.valid().duration(Double.POSITIVE_INFINITY), "--duration");
        assertThat(P.valid().duration(86_400).plan().durationSeconds()).isEqualTo(86_400);
        assertThat(P.valid().duration(0.25).plan().durationSeconds()).isEqualTo(0.25);
    }

    @Test
    void warmupAndGeneratedImagesHaveBounds() {
        refused(P.valid().warmup(-1), "--warmup");
        refused(P.valid().warmup(1_000_001), "--warmup");
        assertThat(P.valid().warmup(0).plan().warmup()).isZero();
        refused(P.valid().generated(0), "--generated-images");
        refused(P.valid().generated(10_001), "--generated-images");
    }

    @Test
    void settingsAreBatchMajor() {
        assertThat(P.valid().withBatches(1, 8).withConcurrency(1, 4, 16).plan().settings()).containsExactly(
                new BenchPlan.Setting(1, 1), new BenchPlan.Setting(1, 4), new BenchPlan.Setting(1, 16),
                new BenchPlan.Setting(8, 1), new BenchPlan.Setting(8, 4), new BenchPlan.Setting(8, 16));
    }

    @Test
    void listsAreCopiedNotShared() {
        List<Integer> batches = new java.util.ArrayList<>(List.of(1, 2));
        BenchPlan plan = new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 0, batches, List.of(1), 1, true, false);
        batches.add(3);
        assertThat(plan.batchSizes()).containsExactly(1, 2);
    }

    @Test
    void lookingUpAnUnknownBackendIsAConfigurationError() {
        assertThatThrownBy(() -> P.valid().plan().backend("grpc"))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("grpc");
    }

    @Test
    void aSettingSaysCallersInTheSingularForOne() {
        assertThat(new BenchPlan.Setting(8, 1)).hasToString("batch 8 x 1 caller");
        assertThat(new BenchPlan.Setting(8, 4)).hasToString("batch 8 x 4 callers");
    }

    @Test
    void anOpenLoopNeedsADurationAndASensibleRate() {
        assertThatThrownBy(() -> new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 0, List.of(1), List.of(4), 1, true, false, 20))
                .hasMessageContaining("--arrival-rate needs --duration");
        assertThatThrownBy(() -> new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 5, List.of(1), List.of(4), 1, true, false, -1))
                .hasMessageContaining("--arrival-rate must be");
        assertThat(new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 5, List.of(1), List.of(4), 1, true, false, 20)
                .arrivalRate()).isEqualTo(20);
    }

    @Test
    void anOpenLoopIsPoissonUnlessToldToPace() {
        assertThat(new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 5, List.of(1), List.of(4), 1, true, false, 20)
                .arrivals()).isEqualTo(BenchPlan.Arrivals.POISSON);
        assertThat(new BenchPlan(BACKENDS, "onnx", Optional.empty(), 10, 1, 1, 5, List.of(1), List.of(4), 1, true, false, 20,
                BenchPlan.Arrivals.UNIFORM).arrivals()).isEqualTo(BenchPlan.Arrivals.UNIFORM);
    }
}
