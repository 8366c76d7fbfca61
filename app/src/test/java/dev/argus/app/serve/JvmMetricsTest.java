package dev.argus.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The JVM's and the process's series, with the Prometheus Java client's names and plausible values. */
class JvmMetricsTest {
    private static String scrape() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.register(registry);
        return Scrape.text(registry);
    }

    private static double value(String text, String name, String... labels) {
        OptionalDouble v = Scrape.value(text, name, labels);
        assertThat(v).as(name + " " + String.join(",", labels) + " in\n" + text).isPresent();
        return v.getAsDouble();
    }

    @Test
    void heapAndNonHeapMemoryAndEachPool() {
        String text = scrape();
        double heapUsed = value(text, "jvm_memory_used_bytes", "area=\"heap\"");
        assertThat(heapUsed).isPositive();
        assertThat(value(text, "jvm_memory_committed_bytes", "area=\"heap\"")).isGreaterThanOrEqualTo(heapUsed);
        assertThat(value(text, "jvm_memory_max_bytes", "area=\"heap\"")).isGreaterThanOrEqualTo(heapUsed);
        assertThat(value(text, "jvm_memory_used_bytes", "area=\"nonheap\"")).isPositive();
        assertThat(text).contains("jvm_memory_pool_used_bytes{pool=\"Metaspace\"}");
        assertThat(text).contains("jvm_buffer_pool_used_bytes{pool=\"direct\"}");
    }

    @Test
    void garbageCollectionPerCollectorThreadsAndClasses() {
        System.gc();
        String text = scrape();
        assertThat(text).contains("# TYPE jvm_gc_collection_seconds summary").contains("jvm_gc_collection_seconds_count{gc=")
                .contains("jvm_gc_collection_seconds_sum{gc=");
        double live = value(text, "jvm_threads_current");
        assertThat(live).isPositive();
        assertThat(value(text, "jvm_threads_daemon")).isLessThanOrEqualTo(live);
        assertThat(value(text, "jvm_threads_peak")).isGreaterThanOrEqualTo(live);
        assertThat(value(text, "jvm_threads_started_total")).isGreaterThanOrEqualTo(live);
        assertThat(value(text, "jvm_threads_state", "state=\"RUNNABLE\"")).as("this thread").isPositive();
        assertThat(value(text, "jvm_classes_currently_loaded")).isGreaterThan(100);
        assertThat(value(text, "jvm_classes_loaded_total")).isGreaterThan(100);
        assertThat(text).contains("jvm_runtime_info{runtime=").contains("version=\"" + System.getProperty("java.runtime.version"));
    }

    @Test
    void theProcessCpuTimeStartTimeFileDescriptorsAndResidentMemory() {
        String text = scrape();
        assertThat(value(text, "process_cpu_seconds_total")).isPositive();
        double start = value(text, "process_start_time_seconds");
        assertThat(start).isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0).isGreaterThan(1.6e9);
        assertThat(value(text, "process_open_fds")).isPositive();
        assertThat(value(text, "process_max_fds")).isGreaterThanOrEqualTo(value(text, "process_open_fds"));
        double rss = value(text, "process_resident_memory_bytes");
        assertThat(rss).as("at least the heap in use is resident, roughly").isGreaterThan(8 << 20);
        assertThat(value(text, "process_virtual_memory_bytes")).isGreaterThan(rss);
    }

    @Test
    void readsKibibytesFromProcStatusLines() {
        List<String> status = List.of("Name:\tjava", "VmSize:\t 4204036 kB", "VmRSS:\t  123456 kB", "Threads:\t42");
        assertThat(JvmMetrics.statusKiB(status, "VmRSS:")).hasValue(123456);
        assertThat(JvmMetrics.statusKiB(status, "VmSize:")).hasValue(4204036);
        assertThat(JvmMetrics.statusKiB(status, "VmSwap:")).isEmpty();
        assertThat(JvmMetrics.statusKiB(List.of("VmRSS: lots"), "VmRSS:")).isEmpty();
    }
}
