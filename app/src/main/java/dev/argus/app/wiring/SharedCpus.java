package dev.argus.app.wiring;

import dev.argus.ports.service.CpuBudget;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the models of one server share so that together they never run more threads than it has CPUs: the engines'
 * {@link CpuBudget}, and one pool that decodes the images of every model.
 */
public final class SharedCpus implements AutoCloseable {
    private final CpuBudget budget;
    private final ExecutorService decoders;

    public SharedCpus(int cpus) {
        this.budget = new CpuBudget(cpus);
        AtomicInteger n = new AtomicInteger();
        this.decoders = Executors.newFixedThreadPool(cpus, r -> {
            Thread t = new Thread(r, "argus-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public CpuBudget budget() {
        return budget;
    }

    public ExecutorService decoders() {
        return decoders;
    }

    @Override
    public void close() {
        decoders.shutdown();
    }
}
