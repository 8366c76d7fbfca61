package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.ports.model.FloatTensor;
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
            for (int i = 0; i < 1000 && (running.get() == 0 || budget.waiting() == 0); i++) {
                Thread.sleep(5); // until calls run and others wait, however busy the machine
            }
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

    /** An engine whose call takes {@code nanos} on the test's clock, and records its name when it runs. */
    private static InferenceEngine timed(String name, long nanos, java.util.concurrent.atomic.AtomicLong clock,
                                         List<String> order, CountDownLatch hold) {
        return new InferenceEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                synchronized (order) {
                    order.add(name);
                }
                try {
                    hold.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                clock.addAndGet(nanos);
                return input;
            }

            @Override
            public String describe() {
                return name;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void theCpusGoToTheWaitingModelThatHasUsedTheLeastTimeNotToTheNextCallInLine() throws Exception {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        CpuBudget budget = new CpuBudget(1, clock::get);
        List<String> order = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        InferenceEngine slow = budget.share(timed("slow", 50_000_000, clock, order, release), 1);
        InferenceEngine fast = budget.share(timed("fast", 5_000_000, clock, order, new CountDownLatch(0)), 1);
        FloatTensor x = new FloatTensor(new long[] {1, 1}, new float[] {0});
        ExecutorService pool = Executors.newFixedThreadPool(5); // a thread for each call
        try {
            Future<?> first = pool.submit(() -> slow.infer(x)); // holds the one CPU until released
            awaitSize(order, 1);
            Future<?> slowAgain = pool.submit(() -> slow.infer(x)); // first in line
            awaitWaiting(budget, 1);
            List<Future<?>> fastCalls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fastCalls.add(pool.submit(() -> fast.infer(x)));
                awaitWaiting(budget, i + 2); // in line behind the ones before it, however busy the machine
            }
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            slowAgain.get(5, TimeUnit.SECONDS);
            for (Future<?> f : fastCalls) {
                f.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // slow used 50 ms; fast, level with it when it came, had used less after each of its calls until it passed
        // slow's 50 ms: its three 5 ms calls run before slow's second call, though that one was first in line
        assertThat(order).containsExactly("slow", "fast", "fast", "fast", "slow");
        assertThat(budget.available()).isEqualTo(1);
    }

    private static void awaitWaiting(CpuBudget budget, int n) throws InterruptedException {
        for (int i = 0; i < 1000 && budget.waiting() < n; i++) {
            Thread.sleep(5);
        }
        assertThat(budget.waiting()).as("calls in line").isEqualTo(n);
    }

    private static void awaitSize(List<String> order, int n) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            synchronized (order) {
                if (order.size() >= n) {
                    return;
                }
            }
            Thread.sleep(5);
        }
    }
}
