package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private final LoadGenerator generator = new LoadGenerator(new ResourceMeter());

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void measuresExactlyTheRequestedCallsAfterTheUnmeasuredWarmup() {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator.Sample s = generator.run(k -> {
            calls.incrementAndGet();
            seen.add(k);
            return LoadGenerator.CallResult.ok(2);
        }, 3, 5, 17, 0, k -> { });
        assertThat(calls.get()).isEqualTo(5 + 17);
        assertThat(seen).as("every call number once").hasSize(22).allMatch(k -> k >= 0 && k < 22);
        assertThat(s.calls()).isEqualTo(17);
        assertThat(s.latencies()).hasSize(17);
        assertThat(java.util.Arrays.stream(s.latencies()).min().orElseThrow()).isNotNegative();
        assertThat(s.images()).isEqualTo(34);
        assertThat(s.failedImages()).isZero();
        assertThat(s.failedCalls()).isZero();
        assertThat(s.errors()).isEmpty();
        assertThat(s.wallNanos()).isPositive();
        assertThat(s.imagesPerSecond()).isEqualTo(34 * 1e9 / s.wallNanos());
    }

    @Test
    void withoutWarmupEveryCallIsMeasured() {
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator.Sample s = generator.run(k -> {
            calls.incrementAndGet();
            return LoadGenerator.CallResult.ok(1);
        }, 1, 0, 9, 0, k -> { });
        assertThat(calls.get()).isEqualTo(9);
        assertThat(s.calls()).isEqualTo(9);
    }

    @Test
    void neverRunsMoreThanConcurrencyCallsAtOnceAndReachesIt() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        LoadGenerator.Sample s = generator.run(k -> {
            int now = inFlight.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            sleep(8);
            inFlight.decrementAndGet();
            return LoadGenerator.CallResult.ok(1);
        }, 4, 4, 32, 0, k -> { });
        assertThat(peak.get()).isEqualTo(4);
        assertThat(s.calls()).isEqualTo(32);
        // 32 calls of >= 8 ms, 4 at a time: at least 8 rounds
        assertThat(s.wallNanos()).isGreaterThanOrEqualTo(8 * 8_000_000L);
    }

    @Test
    void aSingleCallerCallsOneAtATime() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        generator.run(k -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            sleep(1);
            inFlight.decrementAndGet();
            return LoadGenerator.CallResult.ok(1);
        }, 1, 2, 10, 0, k -> { });
        assertThat(peak.get()).isEqualTo(1);
    }

    @Test
    void failedCallsAreCountedAndTheirMessageSampled() {
        LoadGenerator.Sample s = generator.run(k -> {
            if (k % 2 == 0) {
                throw new IllegalStateException("engine exploded");
            }
            return LoadGenerator.CallResult.ok(4);
        }, 2, 0, 10, 0, k -> { });
        assertThat(s.calls()).isEqualTo(10);
        assertThat(s.failedCalls()).isEqualTo(5);
        assertThat(s.latencies()).hasSize(10);
        assertThat(s.images()).isEqualTo(20);
        assertThat(s.errors()).containsExactly("IllegalStateException: engine exploded");
    }

    @Test
    void failuresDuringWarmupAreNotCounted() {
        LoadGenerator.Sample s = generator.run(k -> {
            if (k < 3) {
                throw new IllegalStateException("cold");
            }
            return LoadGenerator.CallResult.ok(1);
        }, 1, 3, 4, 0, k -> { });
        assertThat(s.failedCalls()).isZero();
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void keepsAtMostThreeDistinctErrorSamples() {
        LoadGenerator.Sample s = generator.run(k -> {
            throw new IllegalStateException("failure " + (k % 5));
        }, 1, 0, 20, 0, k -> { });
        assertThat(s.failedCalls()).isEqualTo(20);
        assertThat(s.errors()).hasSize(3).doesNotHaveDuplicates();
        assertThat(s.imagesPerSecond()).isZero();
    }

    @Test
    void failedImagesAreCountedAndNotAsThroughput() {
        LoadGenerator.Sample s = generator.run(k -> new LoadGenerator.CallResult(4, 1, 0, 0, 0, "INVALID_INPUT: not an image"),
                2, 1, 6, 0, k -> { });
        assertThat(s.images()).isEqualTo(24);
        assertThat(s.failedImages()).isEqualTo(6);
        assertThat(s.failedCalls()).isZero();
        assertThat(s.errors()).containsExactly("INVALID_INPUT: not an image");
        assertThat(s.imagesPerSecond()).isEqualTo(18 * 1e9 / s.wallNanos());
    }

    @Test
    void thePerImageSplitIsAveragedOverAnsweredImages() {
        // 4 images a call, 1 failed: the 3 answered ones took 300/600/30 ns between them
        LoadGenerator.Sample s = generator.run(k -> new LoadGenerator.CallResult(4, 1, 300, 600, 30, null), 2, 2, 10, 0, k -> { });
        assertThat(s.decodeNanos()).isEqualTo(100);
        assertThat(s.inferenceNanos()).isEqualTo(200);
        assertThat(s.postprocessNanos()).isEqualTo(10);
    }

    @Test
    void durationModeStopsNearTheDuration() {
        double duration = 0.3;
        AtomicInteger calls = new AtomicInteger();
        LoadGenerator.Sample s = generator.run(k -> {
            calls.incrementAndGet();
            sleep(5);
            return LoadGenerator.CallResult.ok(1);
        }, 2, 2, 1, duration, k -> { });
        long durationNanos = (long) (duration * 1e9);
        // It measured for the whole duration...
        assertThat(s.wallNanos()).isGreaterThanOrEqualTo(durationNanos);
        // ...and stopped there: past the deadline a caller only finishes the call it is in (at most the longest
        // measured call). One more duration is the allowance for scheduling on a loaded machine; a loop that ignored
        // the deadline would go on far longer (and the call count below would show it).
        long longestCall = java.util.Arrays.stream(s.latencies()).max().orElseThrow();
        assertThat(s.wallNanos()).isLessThan(2 * durationNanos + longestCall);
        // 0.3 s of 5 ms calls by 2 callers: far more than the 1 "request", at most ~120
        assertThat(s.calls()).isGreaterThan(10).isLessThanOrEqualTo(130);
        assertThat(calls.get()).isEqualTo(s.calls() + 2);
    }

    @Test
    void reportsProgressForEveryCallWithItsNumber() {
        List<Integer> progress = new CopyOnWriteArrayList<>();
        generator.run(k -> LoadGenerator.CallResult.ok(1), 2, 3, 7, 0, progress::add);
        assertThat(progress).hasSize(10).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void reportsCpuAndMemoryOfTheMeasuredPhase() {
        LoadGenerator.Sample s = generator.run(k -> {
            long x = 0;
            for (int i = 0; i < 200_000; i++) {
                x += i * (long) k;
            }
            return new LoadGenerator.CallResult(1, x == 42 ? 1 : 0, 0, 0, 0, null);
        }, 1, 0, 20, 0, k -> { });
        assertThat(s.cpuNanos()).isNotNegative();
        assertThat(s.peakHeapBytes()).isPositive();
    }

    @Test
    void anOpenLoopCallsAtTheAskedRateWhateverTheAnswersTake() {
        java.util.concurrent.atomic.AtomicInteger concurrent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        LoadGenerator.Sample s = generator.run(k -> {
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            Thread.sleep(5);
            concurrent.decrementAndGet();
            return LoadGenerator.CallResult.ok(1);
        }, 4, 2, 1, 1.0, 200, k -> { });
        // a Poisson count with mean 200 lies within 200 +- 60 (4 standard deviations)
        assertThat(s.calls()).isBetween(140, 260);
        assertThat(s.failedCalls()).isZero();
        assertThat(most.get()).as("never more in flight than the connections").isLessThanOrEqualTo(4);
    }

    @Test
    void aPacedScheduleIsOneCallEveryIntervalFromTheStartWithoutDrift() {
        java.util.SplittableRandom unused = new java.util.SplittableRandom(1);
        long start = 5_000;
        for (long n : new long[] {0, 1, 2, 299, 3_000_000}) {
            assertThat(LoadGenerator.nextArrival(BenchPlan.Arrivals.UNIFORM, n, start, -1, 3.0, unused))
                    .as("call " + n + " at 3/s").isEqualTo(start + (long) (n / 3.0 * 1e9));
        }
    }

    @Test
    void aPoissonScheduleHasExponentialGapsOfTheMeanInterval() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        double[] gaps = new double[20_000];
        long at = 0;
        for (int n = 0; n < gaps.length; n++) {
            long next = LoadGenerator.nextArrival(BenchPlan.Arrivals.POISSON, n, 0, at, 100, random);
            gaps[n] = next - at;
            at = next;
        }
        double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow());
        assertThat(mean / 1e6).as("mean gap ms at 100/s").isCloseTo(10, org.assertj.core.data.Offset.offset(0.3));
        assertThat(sd / mean).as("an exponential's coefficient of variation is 1").isCloseTo(1, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void aPacedOpenLoopMakesEveryScheduledCallEvenlySpaced() {
        java.util.List<Long> starts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        LoadGenerator.Sample s = generator.run(k -> {
            starts.add(System.nanoTime());
            return LoadGenerator.CallResult.ok(1);
        }, 4, 0, 1, 1.0, 100, BenchPlan.Arrivals.UNIFORM, k -> { });
        // calls at 0, 10, ..., 990 ms: the count depends on the schedule only, not on the timer
        assertThat(s.calls()).as("one call every 10 ms for a second").isEqualTo(100);
        long[] t = starts.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] gaps = new long[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            gaps[i - 1] = t[i] - t[i - 1];
        }
        java.util.Arrays.sort(gaps);
        // the median is robust to a pause of the shared machine (which bunches the calls after it)
        assertThat(gaps[gaps.length / 2] / 1e6).as("median gap ms").isCloseTo(10, org.assertj.core.data.Offset.offset(3.0));
    }

    @Test
    void anOpenLoopsWarmupArrivesAtTheMeasuredRateNotAsABurst() {
        java.util.Map<Integer, Long> starts = new ConcurrentHashMap<>();
        LoadGenerator.Sample s = generator.run(k -> {
            starts.put(k, System.nanoTime());
            return LoadGenerator.CallResult.ok(1);
        }, 16, 30, 1, 0.5, 100, BenchPlan.Arrivals.UNIFORM, k -> { });
        long[] warm = new long[30];
        for (int k = 0; k < 30; k++) {
            warm[k] = starts.get(k);
        }
        java.util.Arrays.sort(warm);
        long[] gaps = new long[29];
        for (int i = 1; i < 30; i++) {
            gaps[i - 1] = warm[i] - warm[i - 1];
        }
        java.util.Arrays.sort(gaps);
        // 16 callers would make the 30 warm-up calls at once; paced, one every 10 ms
        assertThat(gaps[gaps.length / 2] / 1e6).as("median warm-up gap ms").isCloseTo(10, org.assertj.core.data.Offset.offset(3.0));
        assertThat(s.calls()).as("the measured half second, after the warm-up").isEqualTo(50);
        assertThat(starts).hasSize(80);
    }

    @Test
    void anOpenLoopCountsLatencyFromArrivalSoAnOverloadedServerShowsItsQueue() {
        // one connection, 20 ms a call, 100 calls arriving a second: twice what it can answer, so calls wait
        LoadGenerator.Sample s = generator.run(k -> {
            Thread.sleep(20);
            return LoadGenerator.CallResult.ok(1);
        }, 1, 0, 1, 1.0, 100, k -> { });
        assertThat(Stats.percentile(s.latencies(), 99) / 1e6).as("p99 ms, waiting included").isGreaterThan(200);
        // about 100 arrived; about 50 could be made in the second and 50 more in the second of grace after it: any left
        // then are failed calls, not a longer run
        assertThat(s.calls()).isBetween(60, 140);
        assertThat(s.wallNanos()).as("the phase ends a second of grace after its duration").isLessThan(2_500_000_000L);
    }

    @Test
    void callsAServerNeverGotToAreCountedAsFailedNotWaitedFor() {
        // one connection, 100 ms a call, 100 calls arriving a second: about 20 can be made by the end of the grace
        LoadGenerator.Sample s = generator.run(k -> {
            Thread.sleep(100);
            return LoadGenerator.CallResult.ok(1);
        }, 1, 0, 1, 1.0, 100, k -> { });
        assertThat(s.failedCalls()).isGreaterThan(40);
        assertThat(s.errors()).anyMatch(e -> e.contains("fell behind the arrival rate"));
        assertThat(s.wallNanos()).isLessThan(2_500_000_000L);
    }
}
