package dev.argus.app.serve;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The JVM's and the process's series, named as the Prometheus Java client's JVM and process collectors name them
 * ({@code jvm_memory_used_bytes{area}}, {@code jvm_gc_collection_seconds{gc}}, {@code jvm_threads_current},
 * {@code process_resident_memory_bytes}, ...), read from the platform MXBeans and {@code /proc/self/status} when
 * scraped. A value the platform does not offer (the file descriptors off Unix, the resident memory off Linux) is left
 * out rather than reported as 0.
 */
final class JvmMetrics {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private JvmMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        memory(registry);
        garbageCollection(registry);
        threads(registry);
        classes(registry);
        process(registry);
        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        Info.builder().name("jvm_runtime").help("JVM version info").labelNames("version", "vendor", "runtime")
                .register(registry).setLabelValues(System.getProperty("java.runtime.version", runtime.getVmVersion()),
                        runtime.getVmVendor(), System.getProperty("java.runtime.name", runtime.getVmName()));
    }

    private static void memory(PrometheusRegistry registry) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        area(registry, "jvm_memory_used_bytes", "Used bytes of a given JVM memory area", memory, MemoryUsage::getUsed);
        area(registry, "jvm_memory_committed_bytes", "Committed (bytes) of a given JVM memory area", memory,
                MemoryUsage::getCommitted);
        area(registry, "jvm_memory_max_bytes", "Max (bytes) of a given JVM memory area (-1: undefined)", memory,
                MemoryUsage::getMax);
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        pool(registry, "jvm_memory_pool_used_bytes", "Used bytes of a given JVM memory pool", pools, MemoryUsage::getUsed);
        pool(registry, "jvm_memory_pool_committed_bytes", "Committed bytes of a given JVM memory pool", pools,
                MemoryUsage::getCommitted);
        pool(registry, "jvm_memory_pool_max_bytes", "Max bytes of a given JVM memory pool (-1: undefined)", pools,
                MemoryUsage::getMax);
        List<BufferPoolMXBean> buffers = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        buffer(registry, "jvm_buffer_pool_used_bytes", "Used bytes of a given JVM buffer pool (direct: NIO and Netty)",
                buffers, BufferPoolMXBean::getMemoryUsed);
        buffer(registry, "jvm_buffer_pool_capacity_bytes", "Bytes capacity of a given JVM buffer pool", buffers,
                BufferPoolMXBean::getTotalCapacity);
        buffer(registry, "jvm_buffer_pool_used_buffers", "Used buffers of a given JVM buffer pool", buffers,
                BufferPoolMXBean::getCount);
    }

    private static void area(PrometheusRegistry registry, String name, String help, MemoryMXBean memory,
                             Function<MemoryUsage, Long> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("area").callback(cb -> {
            cb.call(value.apply(memory.getHeapMemoryUsage()), "heap");
            cb.call(value.apply(memory.getNonHeapMemoryUsage()), "nonheap");
        }).register(registry);
    }

    private static void pool(PrometheusRegistry registry, String name, String help, List<MemoryPoolMXBean> pools,
                             Function<MemoryUsage, Long> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("pool").callback(cb -> {
            for (MemoryPoolMXBean p : pools) {
                MemoryUsage usage = p.getUsage();
                if (p.isValid() && usage != null) {
                    cb.call(value.apply(usage), p.getName());
                }
            }
        }).register(registry);
    }

    private static void buffer(PrometheusRegistry registry, String name, String help, List<BufferPoolMXBean> pools,
                               Function<BufferPoolMXBean, Long> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("pool").callback(cb -> {
            for (BufferPoolMXBean p : pools) {
                cb.call(value.apply(p), p.getName());
            }
        }).register(registry);
    }

    private static void garbageCollection(PrometheusRegistry registry) {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        SummaryWithCallback.builder().name("jvm_gc_collection_seconds")
                .help("Time spent in a given JVM garbage collector in seconds").labelNames("gc").callback(cb -> {
                    for (GarbageCollectorMXBean gc : collectors) {
                        if (gc.getCollectionCount() >= 0) {
                            cb.call(gc.getCollectionCount(), gc.getCollectionTime() / 1000.0, Quantiles.EMPTY, gc.getName());
                        }
                    }
                }).register(registry);
    }

    private static void threads(PrometheusRegistry registry) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        GaugeWithCallback.builder().name("jvm_threads_current").help("Current thread count of a JVM")
                .callback(cb -> cb.call(threads.getThreadCount())).register(registry);
        GaugeWithCallback.builder().name("jvm_threads_daemon").help("Daemon thread count of a JVM")
                .callback(cb -> cb.call(threads.getDaemonThreadCount())).register(registry);
        GaugeWithCallback.builder().name("jvm_threads_peak").help("Peak thread count of a JVM")
                .callback(cb -> cb.call(threads.getPeakThreadCount())).register(registry);
        CounterWithCallback.builder().name("jvm_threads_started").help("Started thread count of a JVM")
                .callback(cb -> cb.call(threads.getTotalStartedThreadCount())).register(registry);
        GaugeWithCallback.builder().name("jvm_threads_state").help("Current count of threads by state").labelNames("state")
                .callback(cb -> threadStates(threads).forEach((state, n) -> cb.call(n, state.name()))).register(registry);
    }

    private static Map<Thread.State, Integer> threadStates(ThreadMXBean threads) {
        Map<Thread.State, Integer> byState = new EnumMap<>(Thread.State.class);
        for (Thread.State s : Thread.State.values()) {
            byState.put(s, 0);
        }
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (t != null) { // a thread that ended meanwhile
                byState.merge(t.getThreadState(), 1, Integer::sum);
            }
        }
        return byState;
    }

    private static void classes(PrometheusRegistry registry) {
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        GaugeWithCallback.builder().name("jvm_classes_currently_loaded")
                .help("The number of classes that are currently loaded in the JVM")
                .callback(cb -> cb.call(classes.getLoadedClassCount())).register(registry);
        CounterWithCallback.builder().name("jvm_classes_loaded")
                .help("The total number of classes that have been loaded since the JVM has started execution")
                .callback(cb -> cb.call(classes.getTotalLoadedClassCount())).register(registry);
        CounterWithCallback.builder().name("jvm_classes_unloaded")
                .help("The total number of classes that have been unloaded since the JVM has started execution")
                .callback(cb -> cb.call(classes.getUnloadedClassCount())).register(registry);
    }

    private static void process(PrometheusRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            CounterWithCallback.builder().name("process_cpu_seconds").help("Total user and system CPU time spent in seconds")
                    .callback(cb -> {
                        long nanos = sun.getProcessCpuTime();
                        if (nanos >= 0) {
                            cb.call(nanos / 1e9);
                        }
                    }).register(registry);
        }
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        GaugeWithCallback.builder().name("process_start_time_seconds")
                .help("Start time of the process since unix epoch in seconds (uptime: time() - this)")
                .callback(cb -> cb.call(start / 1000.0)).register(registry);
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            GaugeWithCallback.builder().name("process_open_fds").help("Number of open file descriptors")
                    .callback(cb -> cb.call(unix.getOpenFileDescriptorCount())).register(registry);
            GaugeWithCallback.builder().name("process_max_fds").help("Maximum number of open file descriptors")
                    .callback(cb -> cb.call(unix.getMaxFileDescriptorCount())).register(registry);
        }
        if (Files.isReadable(PROC_STATUS)) {
            GaugeWithCallback.builder().name("process_virtual_memory_bytes").help("Virtual memory size in bytes")
                    .callback(cb -> statusKiB("VmSize:").ifPresent(kib -> cb.call(kib * 1024.0))).register(registry);
            GaugeWithCallback.builder().name("process_resident_memory_bytes").help("Resident memory size in bytes")
                    .callback(cb -> statusKiB("VmRSS:").ifPresent(kib -> cb.call(kib * 1024.0))).register(registry);
        }
    }

    /** A {@code /proc/self/status} line's value in KiB ({@code VmRSS:   123456 kB}); empty if it cannot be read. */
    static OptionalLong statusKiB(String field) {
        try {
            return statusKiB(Files.readAllLines(PROC_STATUS), field);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong statusKiB(List<String> lines, String field) {
        for (String line : lines) {
            if (line.startsWith(field)) {
                String[] parts = line.substring(field.length()).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
