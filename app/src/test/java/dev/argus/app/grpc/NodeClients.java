package dev.argus.app.grpc;

import dev.argus.testkit.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Node.js and the npm packages of clients/node, for the tests that drive Argus with the Node clients. */
final class NodeClients {
    static final Path DIR = RepoPaths.root().resolve("clients/node");
    private static final List<String> PACKAGES = List.of("@grpc/grpc-js", "@grpc/proto-loader", "cloudflare");

    /** Written by .ci/setup-clients after a successful npm ci: the SHA-256 of the package-lock.json it installed. */
    private static final String STAMP = ".argus-package-lock.sha256";

    private NodeClients() {
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Skips the calling test, printing why, when node or clients/node's packages are missing. */
    static void assumeAvailable(String test) throws InterruptedException, IOException {
        String missing = missing();
        Assumptions.assumeTrue(missing == null, () -> {
            System.out.println("SKIPPED " + test + ": " + missing + " (.ci/setup-clients installs it: npm ci in clients/node)");
            return missing;
        });
    }

    /** Why the Node clients cannot run here, or null when they can. */
    static String missing() throws InterruptedException, IOException {
        for (String p : PACKAGES) {
            if (!Files.isRegularFile(DIR.resolve("node_modules").resolve(p).resolve("package.json"))) {
                return "npm package " + p + " not installed in " + DIR.resolve("node_modules");
            }
        }
        // A package's own package.json is there as soon as npm unpacks it; its dependencies may not be (an npm ci that
        // was killed or failed half way). .ci/setup-clients writes the lock file's hash only after npm ci succeeded.
        Path stamp = DIR.resolve("node_modules").resolve(STAMP);
        String want = sha256(DIR.resolve("package-lock.json"));
        String have = Files.isRegularFile(stamp) ? Files.readString(stamp, StandardCharsets.US_ASCII).strip() : null;
        if (!want.equals(have)) {
            return "clients/node/node_modules is not a complete install of package-lock.json (no " + STAMP
                    + " with its hash: npm ci did not finish, or the lock file changed since)";
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
