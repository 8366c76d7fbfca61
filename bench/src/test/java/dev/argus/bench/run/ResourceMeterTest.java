package dev.argus.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResourceMeterTest {
    private final ResourceMeter meter = new ResourceMeter();

    @Test
    void readsThisProcesssMemoryFromProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status: not Linux");
        long rss = meter.rssBytes();
        assertThat(rss).isPositive();
        assertThat(rss % 1024).as("kB from /proc, in bytes").isZero();
        assertThat(meter.peakRssBytes()).isGreaterThanOrEqualTo(rss);
    }

    @Test
    void thePeakHeapCoversWhatWasAllocatedSinceTheReset() {
        meter.resetPeaks();
        long before = meter.peakHeapBytes();
        byte[][] garbage = new byte[8][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[1 << 20];
        }
        assertThat(garbage[7]).hasSize(1 << 20);
        assertThat(meter.peakHeapBytes()).isGreaterThanOrEqualTo(before).isGreaterThanOrEqualTo(meter.heapUsedBytes() / 2);
        assertThat(meter.heapUsedBytes()).isPositive();
    }

    @Test
    void processCpuTimeOnlyGrows() {
        long t0 = meter.processCpuNanos();
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) {
            x += i % 7;
        }
        assertThat(x).isPositive();
        assertThat(meter.processCpuNanos()).isGreaterThanOrEqualTo(t0).isPositive();
        assertThat(ResourceMeter.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
