package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's Python with gRPC, for the tests that drive Argus from another process and language. */
final class PythonGrpc {
    static final String PYTHON = "/usr/bin/python3";

    private PythonGrpc() {
    }

    /** Skips the calling test, printing why, when python3-grpcio or python3-grpc-tools is missing. */
    static void assumeAvailable(String test) throws InterruptedException {
        String missing = missing();
        Assumptions.assumeTrue(missing == null, () -> {
            System.out.println("SKIPPED " + test + ": " + missing + " (apt-get install -y python3-grpcio python3-grpc-tools)");
            return missing;
        });
    }

    private static String missing() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import grpc, grpc_tools.protoc").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : "python3-grpcio / python3-grpc-tools missing: " + out.strip();
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /** Runs {@code command}, expecting exit status {@code status}; returns its standard output. */
    static String run(int status, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit status of %s; output %s", String.join(" ", command), out).isEqualTo(status);
        return out;
    }
}
