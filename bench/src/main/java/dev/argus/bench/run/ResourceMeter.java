package dev.argus.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory and CPU, from {@code /proc/self} and the JVM's beans. Peak RSS is the kernel's high-water mark
 * ({@code VmHWM}), which {@link #resetPeaks()} resets where the kernel allows it ({@code /proc/self/clear_refs}).
 */
final class ResourceMeter {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private boolean peakResettable = true;

    /** Resets the peak RSS and heap marks, so that the next {@link #peakRssBytes()} covers what follows. */
    void resetPeaks() {
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        if (peakResettable) {
            try {
                Files.writeString(CLEAR_REFS, "5");
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                peakResettable = false;
            }
        }
    }

    /** Whether peak RSS is per phase (reset worked) or since the process started. */
    boolean peakRssIsPerPhase() {
        return peakResettable;
    }

    /** Peak resident set size, bytes; -1 where {@code /proc} is absent. */
    long peakRssBytes() {
        long kb = statusKb("VmHWM:");
        return kb < 0 ? -1 : kb * 1024;
    }

    long rssBytes() {
        long kb = statusKb("VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    /** Sum of the heap pools' peak usage since the last reset. */
    long peakHeapBytes() {
        return heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    long heapUsedBytes() {
        return heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** CPU time of the whole process (all threads, native ones included), ns. */
    long processCpuNanos() {
        return os.getProcessCpuTime();
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
