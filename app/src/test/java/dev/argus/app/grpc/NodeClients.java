package dev.argus.app.grpc;

import dev.argus.testkit.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Node.js and the npm packages of clients/node, for the tests that drive Argus with the Node clients. */
final class NodeClients {
    static final Path DIR = RepoPaths.root().resolve("clients/node");
    private static final List<String> PACKAGES = List.of("@grpc/grpc-js", "@grpc/proto-loader", "cloudflare");

    private NodeClients() {
    }

    /** Skips the calling test, printing why, when node or clients/node's packages are missing. */
    static void assumeAvailable(String test) throws InterruptedException {
        String missing = missing();
        Assumptions.assumeTrue(missing == null, () -> {
            System.out.println("SKIPPED " + test + ": " + missing + " (.ci/setup-clients installs it: npm ci in clients/node)");
            return missing;
        });
    }

    /** Why the Node clients cannot run here, or null when they can. */
    static String missing() throws InterruptedException {
        for (String p : PACKAGES) {
            if (!Files.isRegularFile(DIR.resolve("node_modules").resolve(p).resolve("package.json"))) {
                return "npm package " + p + " not installed in " + DIR.resolve("node_modules");
            }
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? null : "node --version failed: " + out.strip();
        } catch (IOException e) {
            return "cannot run node: " + e.getMessage();
        }
    }

    /**
     * Runs {@code node clients/node/SCRIPT args...}, expecting exit status {@code status}; returns its standard output.
     * Cloudflare's and Argus's variables are removed from its environment, so only the arguments configure it.
     */
    static String run(int status, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder process = new ProcessBuilder(command);
        process.environment().keySet().removeIf(k -> k.startsWith("CLOUDFLARE_") || k.startsWith("ARGUS_"));
        return ExternalProcess.run(status, process);
    }
}
