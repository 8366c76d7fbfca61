package dev.argus.modelhub;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Another process holding {@code <target>.lock} (say, a second Argus downloading the model) makes resolve wait. */
class CrossProcessLockTest extends HubTestSupport {

    @Test
    void waitsForAnotherProcessHoldingTheLock() throws Exception {
        Path lock = Path.of(target() + ".lock");
        Files.createDirectories(lock.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), lock.toString(), "700").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");
            long started = System.nanoTime();

            resolve();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(300));
            assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    /** Runs in the child process: holds a file lock for a while. */
    public static final class LockHolder {
        @SuppressWarnings("try")
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[1]));
            }
        }
    }
}
