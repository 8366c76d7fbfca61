package dev.argus.ports.service;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One server's CPUs, shared by the engines of every model it serves. Each model is sized as if alone (its engine calls
 * at once x threads each fit the CPUs); an engine call takes its threads from this budget before it starts and gives
 * them back when it ends, so engines never run more threads than there are CPUs. A hot model whose neighbours are
 * idle gets every CPU. When several wait, the CPUs go to the model that has used the least CPU time (threads x
 * seconds) since it became busy, not to the next call in line: a model with 50 ms calls and one with 5 ms calls get
 * the same share of the machine, not the same number of calls. A model that comes back from idle starts level with
 * the least-used model waiting or running, so it gets its share from then on, not a catch-up on the time it was idle.
 */
public final class CpuBudget {
    private final int cpus;
    private final LongSupplier clock;
    private final List<Waiter> waiting = new ArrayList<>(); // guarded by this, in arrival order
    private final List<Account> accounts = new ArrayList<>(); // guarded by this
    private int free; // guarded by this

    /** What one model has used: CPU-nanoseconds since it became busy, and its calls running or waiting. */
    private static final class Account {
        long used;
        int active;
    }

    private static final class Waiter {
        final Account account;
        final int threads;
        boolean granted;

        Waiter(Account account, int threads) {
            this.account = account;
            this.threads = threads;
        }
    }

    public CpuBudget(int cpus) {
        this(cpus, System::nanoTime);
    }

    /** @param clock nanoseconds, for the CPU time each call is charged (tests give their own) */
    public CpuBudget(int cpus, LongSupplier clock) {
        if (cpus < 1) {
            throw ArgusException.configuration("The CPU budget must be at least 1, got " + cpus + ".");
        }
        this.cpus = cpus;
        this.clock = clock;
        this.free = cpus;
    }

    public int cpus() {
        return cpus;
    }

    /** CPUs not held by an engine call now. */
    public synchronized int available() {
        return free;
    }

    /** Calls waiting for CPUs now (for tests that must know a call is in line before they go on). */
    synchronized int waiting() {
        return waiting.size();
    }

    /**
     * {@code engine} with each call drawing {@code threadsPerCall} CPUs (at most the budget) from this budget. Closing
     * the result closes {@code engine}.
     */
    public InferenceEngine share(InferenceEngine engine, int threadsPerCall) {
        int take = Math.max(1, Math.min(threadsPerCall, cpus));
        Account account = new Account();
        synchronized (this) {
            accounts.add(account);
        }
        return new InferenceEngine() {
            @Override
            public FloatTensor infer(FloatTensor input) {
                acquire(account, take);
                long start = clock.getAsLong();
                try {
                    return engine.infer(input);
                } finally {
                    release(account, take, clock.getAsLong() - start);
                }
            }

            @Override
            public String describe() {
                return engine.describe();
            }

            @Override
            public java.util.Map<String, String> modelProperties() {
                return engine.modelProperties();
            }

            @Override
            public int maxBatchSize() {
                return engine.maxBatchSize();
            }

            @Override
            public void close() {
                synchronized (CpuBudget.this) {
                    accounts.remove(account);
                }
                engine.close();
            }
        };
    }

    private synchronized void acquire(Account account, int threads) {
        if (account.active == 0) {
            // back from idle: level with the least-used model still active, so the time it was idle is not owed to it
            long level = Long.MAX_VALUE;
            for (Account a : accounts) {
                if (a != account && a.active > 0) {
                    level = Math.min(level, a.used);
                }
            }
            if (level != Long.MAX_VALUE) {
                account.used = Math.max(account.used, level);
            }
        }
        account.active++;
        if (waiting.isEmpty() && free >= threads) {
            free -= threads;
            return;
        }
        Waiter w = new Waiter(account, threads);
        waiting.add(w);
        grant();
        boolean interrupted = false;
        while (!w.granted) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
                if (!w.granted) {
                    waiting.remove(w);
                    account.active--;
                    grant();
                    Thread.currentThread().interrupt();
                    throw new ArgusException(ErrorCode.INFERENCE_FAILED, "Interrupted while waiting for CPUs for an engine call.");
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void release(Account account, int threads, long nanos) {
        free += threads;
        account.used += Math.max(0, nanos) * threads;
        account.active--;
        grant();
    }

    /** Hands free CPUs to the waiting model that has used the least, first come first served among equals. */
    private void grant() {
        boolean any = false;
        while (!waiting.isEmpty()) {
            Waiter next = waiting.get(0);
            for (Waiter w : waiting) {
                if (w.account.used < next.account.used) {
                    next = w;
                }
            }
            if (next.threads > free) {
                break; // the CPUs it needs are kept for it: smaller calls do not pass it forever
            }
            free -= next.threads;
            next.granted = true;
            waiting.remove(next);
            any = true;
        }
        if (any) {
            notifyAll();
        }
    }
}
