package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator with stand-in workers: {@code sh} processes printing the worker's events, results written for them. */
class OrchestratorTest {
    @TempDir
    Path work;

    private final List<String> launches = new CopyOnWriteArrayList<>();
    private final List<Double> fractions = new CopyOnWriteArrayList<>();

    private static BenchPlan plan(int repetitions, String... ids) {
        List<BackendSpec> specs = new ArrayList<>();
        for (String id : ids) {
            specs.add(new BackendSpec(id, "onnx", Optional.empty()));
        }
        return new BenchPlan(specs, ids[0], Optional.empty(), 1, 0, 1, 0, List.of(1), List.of(1), repetitions, true, true);
    }

    static WorkerResult ok(String id, int rep) {
        WorkerResult.Measurement m = new WorkerResult.Measurement("pipeline", 1, 1, 3, 3, 0, 0, 0.5, 6.0, 1.5, 2.5, 3.0, 3.0,
                Double.NaN, new double[] {1, 2, 3}, 0.1, 0.2, 0.3, 0.4, 1L << 30, 1L << 20, List.of("e1"));
        return new WorkerResult(id, rep, WorkerResult.OK, null, "fake", "model", 10, 20, 30, 40, true, 2, List.of(m),
                List.of(new WorkerResult.Answer("a.jpg", null, new int[] {1, 2}, new float[] {0.6f, 0.4f}, null)));
    }

    /** Writes {@code result(id, rep)} where the orchestrator expects it (unless null), then runs {@code script}. */
    private Orchestrator.Launcher launcher(ResultFor result, String script) {
        return (spec, rep, file) -> {
            launches.add(spec.id() + "/" + rep);
            WorkerResult r = result.of(spec.id(), rep);
            if (r != null) {
                Orchestrator.write(r, file);
            }
            return new ProcessBuilder("sh", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        };
    }

    @FunctionalInterface
    interface ResultFor {
        WorkerResult of(String id, int rep);
    }

    private List<Orchestrator.Run> run(BenchPlan plan, Orchestrator.Launcher launcher) throws IOException {
        return new Orchestrator(launcher, (f, now) -> fractions.add(f)).run(plan, work);
    }

    @Test
    void runsEveryBackendEveryRepetitionInRotatingOrder() throws IOException {
        List<Orchestrator.Run> runs = run(plan(3, "a", "b", "c"), launcher(OrchestratorTest::ok, "exit 0"));
        assertThat(launches).containsExactly("a/1", "b/1", "c/1", "b/2", "c/2", "a/2", "c/3", "a/3", "b/3");
        assertThat(runs).extracting(r -> r.result().backendId() + "/" + r.result().repetition())
                .containsExactlyElementsOf(launches);
        assertThat(runs).allSatisfy(r -> assertThat(r.result().status()).isEqualTo(WorkerResult.OK));
    }

    @Test
    void readsBackTheWorkersResultIncludingUnmeasuredNumbers() throws IOException {
        WorkerResult r = run(plan(1, "a"), launcher(OrchestratorTest::ok, "exit 0")).get(0).result();
        WorkerResult.Measurement m = r.measurements().get(0);
        assertThat(m.meanMs()).isNaN();
        assertThat(m.latencyQuantilesMs()).containsExactly(1, 2, 3);
        assertThat(m.peakRssBytes()).isEqualTo(1L << 30);
        assertThat(m.errors()).containsExactly("e1");
        assertThat(r.answers().get(0).classes()).containsExactly(1, 2);
        assertThat(r.answers().get(0).logits()).isNull();
        assertThat(r.loadMillis()).isEqualTo(10);
    }

    @Test
    void measuresColdStartUpToTheFirstAnswerEvent() throws IOException {
        Orchestrator.Run answered = run(plan(1, "a"),
                launcher(OrchestratorTest::ok, "sleep 0.05; echo '@@argus-bench first-answer' >&2")).get(0);
        assertThat(answered.coldStartMillis()).isGreaterThanOrEqualTo(50).isLessThan(30_000);
        Orchestrator.Run silent = run(plan(1, "a"), launcher(OrchestratorTest::ok, "exit 0")).get(0);
        assertThat(silent.coldStartMillis()).isEqualTo(-1);
    }

    @Test
    void aBackendUnavailableInTheFirstRepetitionIsNotTriedAgain() throws IOException {
        List<Orchestrator.Run> runs = run(plan(3, "a", "b"), launcher((id, rep) -> id.equals("b")
                ? WorkerResult.notRun(id, rep, WorkerResult.UNAVAILABLE, "no GPU") : ok(id, rep), "exit 0"));
        assertThat(launches).containsExactly("a/1", "b/1", "a/2", "a/3");
        assertThat(runs).hasSize(4);
        assertThat(runs.get(1).result().status()).isEqualTo(WorkerResult.UNAVAILABLE);
        assertThat(runs.get(1).result().reason()).isEqualTo("no GPU");
    }

    @Test
    void progressReachesDoneWhenTheLastBackendInTheRotationIsSkipped() throws IOException {
        // repetition 3 runs a, then b: b was unavailable in repetition 1 and is skipped
        run(plan(3, "a", "b"), launcher((id, rep) -> id.equals("b")
                ? WorkerResult.notRun(id, rep, WorkerResult.UNAVAILABLE, "no GPU") : ok(id, rep), "exit 0"));
        assertThat(fractions.get(fractions.size() - 1)).as("last progress of %s", fractions).isEqualTo(1.0);
    }

    @Test
    void aWorkerThatExitsWithoutAResultFailsWithItsOwnErrorLine() throws IOException {
        Orchestrator.Run r = run(plan(1, "a"), launcher((id, rep) -> null,
                "echo 'loading...' >&2; echo 'argus: the model file is broken' >&2; echo 'bye' >&2; exit 3")).get(0);
        assertThat(r.result().status()).isEqualTo(WorkerResult.FAILED);
        assertThat(r.result().reason()).contains("code 3").contains("the model file is broken").doesNotContain("loading");
        assertThat(r.coldStartMillis()).isEqualTo(-1);
    }

    @Test
    void aWorkerThatDiesSilentlyFailsWithItsFirstAndLastLines() throws IOException {
        Orchestrator.Run r = run(plan(1, "a"), launcher((id, rep) -> null,
                "for i in 1 2 3 4 5 6; do echo \"line $i\" >&2; done; exit 134")).get(0);
        assertThat(r.result().status()).isEqualTo(WorkerResult.FAILED);
        assertThat(r.result().reason()).contains("code 134").contains("line 1").contains("line 6").doesNotContain("line 3");
    }

    @Test
    void reportsProgressFromTheWorkersEventsUpToDone() throws IOException {
        run(plan(2, "a", "b"), launcher(OrchestratorTest::ok,
                "echo '@@argus-bench progress 5 10' >&2; echo '@@argus-bench progress 10 10' >&2"));
        assertThat(fractions).isNotEmpty().allMatch(f -> f >= 0 && f <= 1.0);
        for (int i = 1; i < fractions.size(); i++) {
            assertThat(fractions.get(i)).as("progress %d of %s", i, fractions).isGreaterThanOrEqualTo(fractions.get(i - 1));
        }
        assertThat(fractions).contains(0.125, 0.375, 0.625, 0.875);
        assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
    }
}
