package dev.argus.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a client in another process and language, as the client tests do. */
final class ExternalProcess {
    private ExternalProcess() {
    }

    /** Runs {@code process} (its standard error inherited), expecting exit status {@code status}; returns its standard output. */
    static String run(int status, ProcessBuilder process) throws IOException, InterruptedException {
        Process p = process.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit status of %s; output %s", String.join(" ", process.command()), out).isEqualTo(status);
        return out;
    }
}
