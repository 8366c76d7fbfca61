package dev.argus.app.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Debian's Python with gRPC, for the tests that drive Argus from another process and language. */
final class PythonGrpc {
    static final String PYTHON = "/usr/bin/python3";

    private PythonGrpc() {
    }

    /** Skips the calling test, printing why, when python3-grpcio or python3-grpc-tools is missing. */
    static void assumeAvailable(String test) throws InterruptedException {
        assume(test, "import grpc, grpc_tools.protoc", "python3-grpcio / python3-grpc-tools",
                "apt-get install -y python3-grpcio python3-grpc-tools");
    }

    /** As {@link #assumeAvailable}, and skips when what builds and installs a wheel (pip, setuptools, wheel) is missing. */
    static void assumeWheelTools(String test) throws InterruptedException {
        assumeAvailable(test);
        assume(test, "import setuptools, wheel, pip", "python3-pip / python3-setuptools / python3-wheel",
                ".ci/setup-clients installs them");
    }

    private static void assume(String test, String imports, String packages, String fix) throws InterruptedException {
        String missing = missing(imports, packages);
        Assumptions.assumeTrue(missing == null, () -> {
            System.out.println("SKIPPED " + test + ": " + missing + " (" + fix + ")");
            return missing;
        });
    }

    private static String missing(String imports, String packages) throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", imports).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : packages + " missing: " + out.strip();
        } catch (IOException e) {
            return "cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /** Runs {@code command}, expecting exit status {@code status}; returns its standard output. */
    static String run(int status, String... command) throws IOException, InterruptedException {
        return ExternalProcess.run(status, new ProcessBuilder(command));
    }
}
