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

    @Test
    void cpuTimeOfAnotherProcessComesFromItsStatLine() {
        // a command name with spaces and parentheses: fields are counted from the last ')'
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 100 3000000 70000";
        assertThat(ResourceMeter.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void metersTheServerOfARemoteBackendWhenItListensOnThisMachinesLoopback() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net/tcp: not Linux");
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long self = ProcessHandle.current().pid();
            int port = server.getLocalPort();
            assertThat(LocalListener.pidFor("http://127.0.0.1:" + port)).contains(self);
            assertThat(LocalListener.pidFor("localhost:" + port)).contains(self);
            assertThat(LocalListener.pidFor("http://example.invalid:" + port)).as("not loopback").isEmpty();
            ResourceMeter other = ResourceMeter.of(self);
            assertThat(other.rssBytes()).isPositive();
            assertThat(other.peakHeapBytes()).as("another process's heap is not known").isEqualTo(-1);
            assertThat(other.processCpuNanos()).isPositive();
        }
        // nothing listens on a port just released
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThat(LocalListener.pidFor("http://127.0.0.1:" + free)).isEmpty();
    }

    @Test
    void aProcNetTcpRowIsMatchedOnlyWhenListeningOnThePort() {
        String listen = "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 98765 1 0000000000000000 100 0 0 10 0";
        String established = "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 98766 1 0000000000000000 20 4 30 10 -1";
        assertThat(LocalListener.inode(listen, 8080)).contains("98765");
        assertThat(LocalListener.inode(listen, 8081)).isEmpty();
        assertThat(LocalListener.inode(established, 8080)).isEmpty();
        assertThat(LocalListener.inode("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 8080)).isEmpty();
    }
}
