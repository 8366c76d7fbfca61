package dev.argus.modelhub;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Another process holding {@code <target>.lock} (say, a second Argus downloading the model) makes resolve wait. */
class CrossProcessLockTest extends HubTestSupport {

    @Test
    void waitsForAnotherProcessHoldingTheLock() throws Exception {
        Path lock = Path.of(target() + ".lock");
        Files.createDirectories(lock.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), lock.toString()).redirectErrorStream(true).start();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(holder.getOutputStream(), StandardCharsets.UTF_8)) {
            assertThat(out.readLine()).isEqualTo("locked");

            Future<Path> resolved = background.submit(() -> resolve());

            // The other process holds the lock until told to let go: resolve keeps waiting, before asking the Hub.
            assertThatThrownBy(() -> resolved.get(500, TimeUnit.MILLISECONDS))
                    .as("resolve is still waiting for the lock")
                    .isInstanceOf(TimeoutException.class);
            assertThat(hub.requests).as("nothing asked of the Hub while the lock is held elsewhere").isEmpty();

            in.write("release\n");
            in.flush();
            assertThat(out.readLine()).isEqualTo("released");

            assertThat(resolved.get(60, TimeUnit.SECONDS)).isEqualTo(target());
            assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        } finally {
            background.shutdownNow();
            holder.destroy();
            holder.waitFor();
        }
    }

    /** Runs in the child process: holds a file lock until a line (or the end) arrives on its standard input. */
    public static final class LockHolder {
        @SuppressWarnings("try")
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                System.out.println("locked");
                System.out.flush();
                in.readLine();
            }
            System.out.println("released");
            System.out.flush();
        }
    }
}
