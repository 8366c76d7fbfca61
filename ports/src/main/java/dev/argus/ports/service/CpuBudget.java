package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.out.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.util.concurrent.Semaphore;

/**
 * One server's CPUs, shared by the engines of every model it serves. Each model is sized as if alone (its engine calls
 * at once x threads each fit the CPUs); an engine call takes its threads from this budget before it starts and gives
 * them back when it ends, in arrival order. So a hot model whose neighbours are idle gets every core, and when several
 * are busy their calls take turns instead of running more engine threads than there are cores.
 */
public final class CpuBudget {
    private final int cpus;
    private final Semaphore threads;

    public CpuBudget(int cpus) {
        if (cpus < 1) {
            throw ArgusException.configuration("The CPU budget must be at least 1, got " + cpus + ".");
        }
        this.cpus = cpus;
        this.threads = new Semaphore(cpus, true); // fair: a call needing every CPU is not starved by smaller ones
    }

    public int cpus() {
        return cpus;
    }

    /** CPUs not held by an engine call now. */
    public int available() {
        return threads.availablePermits();
    }

    /**
     * {@code engine} with each call drawing {@code threadsPerCall} CPUs (at most the budget) from this budget. Closing
     * the result closes {@code engine}.
     */
    public InferenceEngine share(InferenceEngine engine, int threadsPerCall) {
        int take = Math.max(1, Math.min(threadsPerCall, cpus));
        return new InferenceEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                try {
                    threads.acquire(take);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArgusException(ErrorCode.INFERENCE_FAILED, "Interrupted while waiting for CPUs for an engine call.");
                }
                try {
                    return engine.infer(input);
                } finally {
                    threads.release(take);
                }
            }

            @Override
            public String describe() {
                return engine.describe();
            }

            @Override
            public int maxBatchSize() {
                return engine.maxBatchSize();
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }
}
