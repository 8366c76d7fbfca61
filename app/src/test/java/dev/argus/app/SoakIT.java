package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.cli.Main;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The soak, shortened for CI: {@code argus soak} runs the distribution's server for a minute with every kind of
 * traffic and every fault (engine failures, a remote backend that hangs, the model file rewritten under a poll reload,
 * downloads, one into a full disk when this process may mount a tmpfs), and must pass all of its checks.
 */
class SoakIT {

    @Test
    void aMinuteOfMixedTrafficAndFaultsLeavesTheServerHealthyAndEveryRequestAnswered() throws Exception {
        Path out = RepoPaths.root().resolve("app/target/soak-it");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        String launcher = System.getProperty("argus.test.launcher", RepoPaths.root().resolve("app/target/argus/bin/argus").toString());
        int code = Main.run(new String[] {"soak", "--model", TestModels.probeOnnx().toString(), "--launcher", launcher,
                "--out", out.toString(), "--duration", "60", "--rate", "25", "--replace-every", "15", "--download-every", "16",
                "--engine-failure-rate", "0.05", "--sample-every", "2", "--window", "10", "--deadline-ms", "5000",
                "--java-opts", "-Xmx256m -XX:+ExitOnOutOfMemoryError"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8), Map.of());
        String report = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println(stderr.toString(StandardCharsets.UTF_8));
        assertThat(code).as("argus soak's exit code; its report:\n" + report).isZero();
        assertThat(report).contains("# argus soak: passed");
        // every kind of traffic was sent and the good ones were answered
        for (String kind : List.of("rest photo", "rest numbers-array JSON", "rest bad file", "rest slow client",
                "rest client hangs up mid-body", "rest remote model (cloudflare backend)", "grpc Classify",
                "grpc ClassifyBatch (3 photos + 1 bad)", "grpc ClassifyStream (3 photos)", "grpc cancelled by the client")) {
            assertThat(report).as(kind).contains("| " + kind + " | ");
        }
        assertThat(report).contains("| rest photo | 200 |").contains("| grpc Classify | grpc OK |").contains("| rest bad file | 400/");
        // every fault happened
        assertThat(report).containsPattern("Faults: [1-9]\\d* requests failed by an injected engine fault");
        assertThat(report).containsPattern("let [1-9]\\d* hang");
        assertThat(report).contains("model file rewritten in place");
        assertThat(report).containsPattern("download \\d+ loads \\| pass");
        if (isRoot()) {
            assertThat(report).containsPattern("download \\d+ into a full disk fails, saying so \\| pass");
        } else {
            System.out.println("SoakIT: not root, so no tmpfs: the disk-full fault did not run");
        }
        assertThat(Files.readString(out.resolve("samples.csv"))).startsWith("seconds,rss_bytes,threads,fds");
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("0");
    }
}
