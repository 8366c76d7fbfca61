package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dynamic batcher with a fake engine: row i's logit 0 is its input value times 2; inputs of -1 make the engine fail. */
class BatchSchedulerTest {
    private static final long[] ROW = {1};
    private final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private BatchScheduler scheduler;

    private final UnaryOperator<FloatTensor> doubling = in -> {
        calls.add(in.batchSize());
        float[] out = new float[in.batchSize() * 2];
        for (int i = 0; i < in.batchSize(); i++) {
            if (in.data()[i] < 0) {
                throw ArgusException.inferenceFailed("engine refused the batch", null);
            }
            out[i * 2] = in.data()[i] * 2;
        }
        return new FloatTensor(new long[] {in.batchSize(), 2}, out);
    };

    /** Like {@link #doubling}, but the first call waits for {@link #gate}. */
    private final UnaryOperator<FloatTensor> heldFirst = in -> {
        if (entered.getCount() > 0) {
            entered.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return doubling.apply(in);
    };

    @AfterEach
    void close() {
        gate.countDown();
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void imagesThatQueueWhileTheEngineIsBusyRunAsOneBatch() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, BatchScheduler.Settings.of(1, 8, 0));
        List<CompletableFuture<BatchScheduler.Result>> first = scheduler.submit(List.of(row(1)), 1000);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BatchScheduler.Result>> later = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            later.addAll(scheduler.submit(List.of(row(i)), 1000)); // five requests of one image each
        }
        gate.countDown();

        assertThat(first.get(0).get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
        for (int i = 0; i < later.size(); i++) {
            BatchScheduler.Result r = later.get(i).get(5, TimeUnit.SECONDS);
            assertThat(r.logits()[0]).as("each image gets its own row back").isEqualTo(2f * (i + 2));
            assertThat(r.batchSize()).isEqualTo(5);
        }
        assertThat(calls).containsExactly(1, 5);
        assertThat(scheduler.batchSizeCounts()[5]).isEqualTo(1);
        var stats = scheduler.statistics();
        assertThat(stats.success()).isEqualTo(6);
        assertThat(stats.failure()).isZero();
        assertThat(stats.executions()).isEqualTo(2);
        assertThat(stats.batchSizeCounts()[1]).isEqualTo(1);
        assertThat(stats.pending()).isZero();
        assertThat(stats.queueNanos()).as("the five waited while the first call was held").isPositive();
        assertThat(stats.inferNanos()).isPositive();
    }

    @Test
    void neverRunsMoreThanTheLargestBatch() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, new BatchScheduler.Settings(1, 3, 0, 16));
        scheduler.submit(List.of(row(1)), 1000);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BatchScheduler.Result>> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.addAll(scheduler.submit(List.of(row(i)), 1000));
        }
        gate.countDown();
        for (CompletableFuture<BatchScheduler.Result> f : all) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(calls).containsExactly(1, 3, 3, 1);
    }

    @Test
    void aQueueDelayGathersImagesThatArriveSoonAfter() throws Exception {
        scheduler = new BatchScheduler("t", doubling, ROW, BatchScheduler.Settings.of(1, 4, TimeUnit.SECONDS.toNanos(10)));
        List<CompletableFuture<BatchScheduler.Result>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.addAll(scheduler.submit(List.of(row(i)), 1000)); // the batch is full at the fourth: no 10 s wait
        }
        for (CompletableFuture<BatchScheduler.Result> f : all) {
            assertThat(f.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(4);
        }
        assertThat(calls).containsExactly(4);
    }

    @Test
    void aFullQueueRefusesWithOverloadedAndAPlaceComesBackWhenABatchEnds() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, new BatchScheduler.Settings(1, 2, 0, 2));
        scheduler.submit(List.of(row(1), row(2)), 1000);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> scheduler.submit(List.of(row(3)), 20))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED))
                .hasMessageContaining("queue is full (2 images");
        assertThat(scheduler.statistics().failure()).isEqualTo(1);
        gate.countDown();
        assertThat(scheduler.submit(List.of(row(3)), 5000).get(0).get(5, TimeUnit.SECONDS).logits()[0]).isEqualTo(6f);
    }

    @Test
    void anImageWhoseCallerGaveUpNeverReachesTheEngineAndGivesItsPlaceBack() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, new BatchScheduler.Settings(1, 2, 0, 3));
        scheduler.submit(List.of(row(1)), 1000);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<BatchScheduler.Result>> abandoned = scheduler.submit(List.of(row(7), row(8)), 1000);
        abandoned.forEach(f -> f.cancel(false));
        gate.countDown();

        // the two places come back: a request of three images fits again
        List<CompletableFuture<BatchScheduler.Result>> next = scheduler.submit(List.of(row(3)), 5000);
        next.get(0).get(5, TimeUnit.SECONDS);
        List<CompletableFuture<BatchScheduler.Result>> three = scheduler.submit(List.of(row(4), row(5), row(6)), 5000);
        for (CompletableFuture<BatchScheduler.Result> f : three) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(calls.stream().mapToInt(Integer::intValue).sum()).as("images the engine saw").isEqualTo(5);
        assertThat(scheduler.statistics().success()).isEqualTo(5);
        assertThat(scheduler.statistics().failure()).isEqualTo(2);
    }

    @Test
    void aFailingEngineCallFailsOnlyItsOwnImages() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, new BatchScheduler.Settings(1, 1, 0, 4));
        scheduler.submit(List.of(row(1)), 1000);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<BatchScheduler.Result> bad = scheduler.submit(List.of(row(-1)), 1000).get(0);
        CompletableFuture<BatchScheduler.Result> good = scheduler.submit(List.of(row(4)), 1000).get(0);
        gate.countDown();

        assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_FAILED));
        assertThat(good.get(5, TimeUnit.SECONDS).logits()[0]).isEqualTo(8f);
    }

    @Test
    void workersRunEngineCallsSideBySide() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        scheduler = new BatchScheduler("t", in -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            both.countDown();
            try {
                both.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            return doubling.apply(in);
        }, ROW, new BatchScheduler.Settings(2, 1, 0, 4));
        List<CompletableFuture<BatchScheduler.Result>> two = scheduler.submit(List.of(row(1), row(2)), 1000);
        for (CompletableFuture<BatchScheduler.Result> f : two) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void closingFailsWhatIsStillWaitingAndRefusesMore() throws Exception {
        scheduler = new BatchScheduler("t", heldFirst, ROW, BatchScheduler.Settings.of(1, 1, 0));
        CompletableFuture<BatchScheduler.Result> running = scheduler.submit(List.of(row(1)), 1000).get(0);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<BatchScheduler.Result> waiting = scheduler.submit(List.of(row(2)), 1000).get(0);
        gate.countDown();
        scheduler.close();

        assertThat(running.get(5, TimeUnit.SECONDS).logits()[0]).isEqualTo(2f);
        if (waiting.isCompletedExceptionally()) {
            assertThatThrownBy(waiting::get).cause().isInstanceOfSatisfying(ArgusException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
        } else {
            assertThat(waiting.get(5, TimeUnit.SECONDS).logits()[0]).isEqualTo(4f); // a worker took it before close
        }
        assertThatThrownBy(() -> scheduler.submit(List.of(row(3)), 10))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE));
    }

    private static float[] row(int v) {
        return new float[] {v};
    }
}
