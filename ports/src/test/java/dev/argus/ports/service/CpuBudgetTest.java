package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.ports.out.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CpuBudgetTest {

    /** An engine that counts the threads of the calls running at once, across every engine sharing the counter. */
    private static InferenceEngine counting(AtomicInteger running, AtomicInteger peak, int threads, CountDownLatch hold) {
        return new InferenceEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                int now = running.addAndGet(threads);
                peak.accumulateAndGet(now, Math::max);
                try {
                    hold.await(5, TimeUnit.SECONDS);
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.addAndGet(-threads);
                }
                return input;
            }

            @Override
            public String describe() {
                return "counting";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void enginesOfSeveralModelsNeverRunMoreThreadsThanTheBudgetAndOneAloneGetsAllOfIt() throws Exception {
        CpuBudget budget = new CpuBudget(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        // model a: calls of 4 threads (one worker with every CPU); model b: calls of 1 thread (one worker per CPU)
        InferenceEngine a = budget.share(counting(running, peak, 4, go), 4);
        InferenceEngine b = budget.share(counting(running, peak, 1, go), 1);
        FloatTensor x = new FloatTensor(new long[] {1, 1}, new float[] {0});
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> a.infer(x)));
                calls.add(pool.submit(() -> b.infer(x)));
            }
            Thread.sleep(100);
            assertThat(running.get()).as("calls hold their threads while blocked").isBetween(1, 4);
            go.countDown();
            for (Future<?> f : calls) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(peak.get()).as("threads of engine calls running at once").isEqualTo(4);
        assertThat(budget.available()).isEqualTo(4);

        // a call asking for more than the budget takes all of it and still runs
        AtomicInteger alone = new AtomicInteger();
        InferenceEngine big = budget.share(counting(alone, new AtomicInteger(), 8, new CountDownLatch(0)), 8);
        big.infer(x);
        assertThat(budget.available()).isEqualTo(4);
    }
}
