package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Another process holding the file's cache lock (say, a second Argus downloading the model) makes resolve wait: as long
 * as the holder makes progress, and no more than the lock timeout when it makes none.
 */
@Timeout(30)
class CrossProcessLockTest extends HubTestSupport {

    @Test
    void waitsForAnotherProcessHoldingTheLock() throws Exception {
        Process holder = startHolder("plain");
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (BufferedReader out = outputOf(holder);
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
            stop(holder);
        }
    }

    @Test
    void givesUpWaitingForAHolderThatMakesNoProgressAndNamesIt() throws Exception {
        Process holder = startHolder("argus");
        try (BufferedReader out = outputOf(holder)) {
            assertThat(out.readLine()).isEqualTo("locked");
            long started = System.nanoTime();

            var e = thrown(() -> resolve(config().withLockTimeout(Duration.ofSeconds(1)), FakeHub.LOCATION));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
                    Duration.ofSeconds(15));
            assertThat(e.getMessage()).contains("waited 1 s for the cache lock " + lock())
                    .contains("held by pid " + holder.pid()).contains("no progress")
                    .contains("stop it and try again").contains("lockTimeout");
            assertThat(hub.requests).isEmpty();
        } finally {
            stop(holder);
        }
    }

    @Test
    void keepsWaitingWhileTheHolderMakesProgress() throws Exception {
        Process holder = startHolder("grow", part().toString());
        try (BufferedReader out = outputOf(holder)) {
            assertThat(out.readLine()).isEqualTo("locked");

            Path file = resolve(config().withLockTimeout(Duration.ofSeconds(1)), FakeHub.LOCATION);

            assertThat(out.readLine()).as("the holder finished first").isEqualTo("released");
            assertThat(Files.readAllBytes(file)).isEqualTo(hub.content);
        } finally {
            stop(holder);
        }
    }

    @Test
    void aThreadWaitingForAnotherThreadGivesUpToo() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (TargetLock held = TargetLock.acquire(lock(), Duration.ofSeconds(5), () -> 0)) {
            Future<Path> resolved = background.submit(
                    () -> resolve(config().withLockTimeout(Duration.ofMillis(500)), FakeHub.LOCATION));

            assertThatThrownBy(() -> resolved.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ArgusException.class)
                    .hasMessageContaining("held by another thread of this process");
        } finally {
            background.shutdownNow();
        }
    }

    private Process startHolder(String... args) throws IOException {
        Files.createDirectories(lock().getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                lock().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static BufferedReader outputOf(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * Runs in the child process: holds the lock until a line (or the end) arrives on its standard input. Modes:
     * {@code plain} locks the file as any tool would, {@code argus} as Argus does (saying who holds it), and
     * {@code grow PART} as Argus does while appending to {@code PART} for 3 s, then lets go.
     */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            Path lockFile = Path.of(args[0]);
            switch (args[1]) {
                case "plain" -> {
                    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                        say("locked");
                        waitForALine();
                    }
                }
                case "argus" -> {
                    try (TargetLock ignored = TargetLock.acquire(lockFile, Duration.ofSeconds(5), () -> 0)) {
                        say("locked");
                        waitForALine();
                    }
                }
                default -> {
                    try (TargetLock ignored = TargetLock.acquire(lockFile, Duration.ofSeconds(5), () -> 0)) {
                        say("locked");
                        for (int i = 0; i < 15; i++) {
                            Files.write(Path.of(args[2]), new byte[1000], StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                            Thread.sleep(200);
                        }
                    }
                }
            }
            say("released");
        }

        private static void say(String line) {
            System.out.println(line);
            System.out.flush();
        }

        private static void waitForALine() throws IOException {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
