package dev.argus.app.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.Timings;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TunerTest {
    private static Tuner.Measured ok(int w, int b, double ips, double p99) {
        return new Tuner.Measured(new Tuner.Candidate(w, 2 / w, b), ips, p99 / 2, p99, 100, null);
    }

    @Test
    void choosesTheFastestSettingWithinTheBound() {
        List<Tuner.Measured> m = List.of(ok(1, 1, 27, 110), ok(2, 1, 36, 130), ok(2, 8, 40, 1030), ok(1, 8, 33, 520));
        Tuner.Choice c = Tuner.choose(m, 500).orElseThrow();
        assertThat(c.withinBound()).isTrue();
        assertThat(c.chosen().candidate()).isEqualTo(new Tuner.Candidate(2, 1, 1));
        // a looser bound admits the faster, slower-answering setting
        assertThat(Tuner.choose(m, 2000).orElseThrow().chosen().candidate()).isEqualTo(new Tuner.Candidate(2, 1, 8));
    }

    @Test
    void settingsWithinTwoPercentCountAsEqualAndTheLowerP99Wins() {
        List<Tuner.Measured> m = List.of(ok(2, 4, 36.5, 440), ok(2, 1, 36.0, 130), ok(1, 1, 30, 90));
        assertThat(Tuner.choose(m, 500).orElseThrow().chosen().candidate()).isEqualTo(new Tuner.Candidate(2, 1, 1));
    }

    @Test
    void whenNoSettingMeetsTheBoundTheLowestP99IsChosenAndSaidSo() {
        List<Tuner.Measured> m = List.of(ok(1, 8, 33, 520), ok(2, 8, 40, 1030));
        Tuner.Choice c = Tuner.choose(m, 100).orElseThrow();
        assertThat(c.withinBound()).isFalse();
        assertThat(c.chosen().candidate()).isEqualTo(new Tuner.Candidate(1, 2, 8));
    }

    @Test
    void failedSettingsAreNeverChosen() {
        Tuner.Measured failed = new Tuner.Measured(new Tuner.Candidate(2, 1, 8), 0, 0, 0, 0, "out of memory");
        assertThat(Tuner.choose(List.of(failed), 500)).isEmpty();
        assertThat(Tuner.choose(List.of(failed, ok(1, 1, 5, 900)), 500).orElseThrow().chosen().candidate())
                .isEqualTo(new Tuner.Candidate(1, 2, 1));
        assertThat(failed.row()).contains("failed: out of memory");
    }

    @Test
    void candidatesSplitTheCpusBetweenWorkers() {
        assertThat(Tuner.divisors(12)).containsExactly(1, 2, 3, 4, 6, 12);
        assertThat(Tuner.divisors(1)).containsExactly(1);
        assertThat(Tuner.candidates(8, List.of(1, 2, 8), List.of(1, 4))).containsExactly(
                new Tuner.Candidate(1, 8, 1), new Tuner.Candidate(1, 8, 4), new Tuner.Candidate(2, 4, 1),
                new Tuner.Candidate(2, 4, 4), new Tuner.Candidate(8, 1, 1), new Tuner.Candidate(8, 1, 4));
        // more workers than CPUs still get one thread each
        assertThat(Tuner.candidates(2, List.of(4), List.of(1))).containsExactly(new Tuner.Candidate(4, 1, 1));
        assertThat(new Tuner.Candidate(2, 1, 8).callers()).isEqualTo(32);
    }

    @Test
    void percentileIsNearestRank() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertThat(Tuner.percentile(v, 0.5)).isEqualTo(50);
        assertThat(Tuner.percentile(v, 0.99)).isEqualTo(99);
        assertThat(Tuner.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    }

    @Test
    void measuresEverySettingInItsOwnPipelineWithEnoughCallersToFillTheBatches() {
        List<Integer> maxConcurrent = new ArrayList<>();
        List<Tuner.Candidate> opened = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        Tuner tuner = new Tuner(0, 0.2);
        List<Tuner.Measured> m = tuner.measureAll(List.of(new Tuner.Candidate(1, 2, 1), new Tuner.Candidate(2, 1, 4)), c -> {
            opened.add(c);
            Fake f = new Fake(false);
            return Tuner.Target.of(f, () -> maxConcurrent.add(f.peak.get()));
        }, List.of(new byte[] {1}, new byte[] {2}), progress::add);
        assertThat(opened).hasSize(2);
        assertThat(maxConcurrent).containsExactly(2, 16);
        assertThat(m).allSatisfy(x -> {
            assertThat(x.error()).isNull();
            assertThat(x.requests()).isPositive();
            assertThat(x.imagesPerSecond()).isPositive();
            assertThat(x.p99Millis()).isGreaterThanOrEqualTo(x.p50Millis());
        });
        assertThat(progress).hasSize(2);
        assertThat(progress.get(1)).startsWith("[2/2] workers 2, threads 1, max-batch 4:");
    }

    @Test
    void aSlowSettingIsMeasuredOnEnoughRequestsNotOnTheFewThatFitTheWindow() {
        Tuner tuner = new Tuner(0, 0.05);
        Fake slow = new Fake(false, 20);
        Tuner.Measured m = tuner.measure(new Tuner.Candidate(1, 2, 1), slow, List.of(new byte[] {1}));
        assertThat(m.error()).isNull();
        assertThat(m.requests()).isGreaterThanOrEqualTo(Tuner.MIN_REQUESTS);
        // 2 callers, 20 ms each: at most ~100 requests a second
        assertThat(m.imagesPerSecond()).isPositive().isLessThan(110);
    }

    @Test
    void aSettingWhoseImagesFailOrThatCannotStartIsReportedNotChosen() {
        Tuner tuner = new Tuner(0, 0.1);
        List<Tuner.Measured> m = tuner.measureAll(List.of(new Tuner.Candidate(1, 2, 1), new Tuner.Candidate(2, 1, 1),
                new Tuner.Candidate(3, 1, 1)), c -> {
            if (c.workers() == 2) {
                throw ArgusException.configuration("no room for two sessions");
            }
            if (c.workers() == 3) {
                throw new IllegalStateException("the engine broke");
            }
            return Tuner.Target.of(new Fake(true), () -> { });
        }, List.of(new byte[] {1}), s -> { });
        assertThat(m.get(0).error()).startsWith("an image failed: ").contains("not an image");
        assertThat(m.get(1).error()).isEqualTo("no room for two sessions");
        assertThat(m.get(2).error()).as("any failure of one setting is that setting's row").isEqualTo("IllegalStateException: the engine broke");
        assertThat(Tuner.choose(m, 500)).isEmpty();
        assertThatThrownBy(() -> tuner.measureAll(List.of(), c -> null, List.of(), s -> { }))
                .isInstanceOf(ArgusException.class);
    }

    /** Answers after a few ms, counting how many calls are in flight at once. */
    private static final class Fake implements ImageClassifier {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        private final boolean fail;
        private final long millis;

        Fake(boolean fail) {
            this(fail, 2);
        }

        Fake(boolean fail, long millis) {
            this.fail = fail;
            this.millis = millis;
        }

        @Override
        public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            if (fail) {
                return List.of(ClassificationOutcome.Failure.of(ArgusException.invalidInput("not an image")));
            }
            return List.of(new ClassificationOutcome.Success(new ClassificationResult(List.of(), "fake", "fake", Timings.NONE)));
        }

        @Override
        public ModelInfo info() {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
