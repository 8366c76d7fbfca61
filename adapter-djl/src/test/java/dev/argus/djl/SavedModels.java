package dev.argus.djl;

import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The TensorFlow SavedModels of the test models, built on first use by {@link TfSavedModelBuilder} from the exported
 * weights and cached beside the other test models ({@code build/test-models/<name>-savedmodel/}). A stamp holds a hash
 * of the weights (names, sizes, mtimes) and of the builder; when the test setup regenerates the weights, the
 * SavedModels are rebuilt.
 */
final class SavedModels {
    /** Bump when {@link TfSavedModelBuilder} changes what it builds. */
    private static final String BUILDER_VERSION = "1";
    private static final String STAMP = "argus-build.stamp";

    private SavedModels() {
    }

    static Optional<Path> resnet50() {
        return Optional.of(get("resnet50", "resnet50-savedmodel", false));
    }

    static Optional<Path> probe() {
        return Optional.of(get("probe", "probe-savedmodel", false));
    }

    static Path probeNhwc() {
        return get("probe", "probe-nhwc-savedmodel", true);
    }

    private static synchronized Path get(String weights, String name, boolean nhwc) {
        Path weightsDir = TestModels.directory().resolve("weights").resolve(weights);
        if (!Files.isRegularFile(weightsDir.resolve("index.json"))) {
            throw new IllegalStateException("Exported weights " + weightsDir + " are missing. Generate the test models "
                    + "with 'bash .ci/setup-test-data' (needs Debian's python3-torch).");
        }
        Path target = TestModels.directory().resolve(name);
        String stamp = stamp(weightsDir, nhwc);
        try {
            if (Files.isRegularFile(target.resolve(STAMP)) && Files.readString(target.resolve(STAMP)).equals(stamp)) {
                return target;
            }
            // the natives must be loaded before TF Java's classes are used
            DjlEnvironment.engine(DjlTestSupport.tensorflow(target), TensorflowCpuGuard::forThisProcess);
            long t0 = System.nanoTime();
            Path tmp = Files.createTempDirectory(target.getParent(), name + ".tmp");
            Path export = tmp.resolve("model");
            TfSavedModelBuilder.build(weightsDir, export, nhwc);
            Files.writeString(export.resolve(STAMP), stamp);
            deleteTree(target);
            Files.move(export, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(tmp);
            System.out.printf("built TensorFlow SavedModel %s in %d ms%n", target, (System.nanoTime() - t0) / 1_000_000);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the SavedModel " + target, e);
        }
    }

    private static String stamp(Path weightsDir, boolean nhwc) {
        try (Stream<Path> files = Files.list(weightsDir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("builder " + BUILDER_VERSION + " nhwc " + nhwc + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path p : files.sorted().toList()) {
                md.update((p.getFileName() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
