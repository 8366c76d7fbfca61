package dev.argus.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's memory and CPU, from {@code /proc}: this process (with the JVM's heap beans), or another one on this
 * machine, such as the server a remote backend talks to. Peak RSS is the kernel's high-water mark ({@code VmHWM}),
 * which {@link #resetPeaks()} resets where the kernel allows it ({@code clear_refs}).
 */
final class ResourceMeter {
    /** Linux reports {@code /proc/PID/stat} times in USER_HZ, 100 a second on every architecture Argus runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private final Path proc;
    private final boolean self;
    private final List<MemoryPoolMXBean> heapPools;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private boolean peakResettable = true;

    /** This process. */
    ResourceMeter() {
        this(Path.of("/proc/self"), true);
    }

    private ResourceMeter(Path proc, boolean self) {
        this.proc = proc;
        this.self = self;
        this.heapPools = self ? ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList()
                : List.of();
    }

    /** Another process of this machine (its heap is not known: {@link #peakHeapBytes()} is -1). */
    static ResourceMeter of(long pid) {
        return new ResourceMeter(Path.of("/proc", Long.toString(pid)), false);
    }

    /** Resets the peak RSS and heap marks, so that the next {@link #peakRssBytes()} covers what follows. */
    void resetPeaks() {
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        if (peakResettable) {
            try {
                Files.writeString(proc.resolve("clear_refs"), "5");
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

    /** Sum of the heap pools' peak usage since the last reset; -1 for another process. */
    long peakHeapBytes() {
        return self ? heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() : -1;
    }

    long heapUsedBytes() {
        return self ? heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum() : -1;
    }

    /** CPU time of the whole process (all threads, native ones included), ns; -1 when it cannot be read. */
    long processCpuNanos() {
        if (self) {
            return os.getProcessCpuTime();
        }
        try {
            return cpuTicks(Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8)) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/PID/stat} line (fields 14 and 15; the command name may hold spaces). */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    private long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
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
