package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import java.lang.management.ManagementFactory;

/** Bytes the calling thread allocates while something runs (the JVM counts every allocation per thread). */
final class Allocation {
    private Allocation() {
    }

    /** Bytes allocated by {@code r} on this thread; an {@link ArgusException} it throws ends it, and is not rethrown. */
    static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            r.run();
        } catch (ArgusException ignored) {
            // what it allocated until refused is what is measured
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
