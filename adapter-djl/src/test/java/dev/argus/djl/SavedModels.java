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
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The TensorFlow SavedModels of the test models ({@code build/test-models/<name>-savedmodel/}), made from the exported
 * weights by the test-data setup, never by a test: {@code bash .ci/setup-test-data} runs {@link #main} through
 * {@code tools/testdata/make_savedmodels}. A stamp in each holds a hash of the weights (names, sizes, mtimes) and of
 * the builder; the tool rebuilds a SavedModel whose stamp no longer matches, and a test given a missing or stale one
 * fails saying how to make it. Building runs no inference, so it does not depend on TensorFlow answering right here.
 */
final class SavedModels {
    /** Bump when {@link TfSavedModelBuilder} changes what it builds. */
    private static final String BUILDER_VERSION = "1";
    private static final String STAMP = "argus-build.stamp";

    /** One SavedModel the tests use: built from {@code weights/<weights>/} into {@code <name>/}. */
    private record Spec(String weights, String name, boolean nhwc) {
    }

    private static final Spec RESNET50 = new Spec("resnet50", "resnet50-savedmodel", false);
    private static final Spec PROBE = new Spec("probe", "probe-savedmodel", false);
    private static final Spec PROBE_NHWC = new Spec("probe", "probe-nhwc-savedmodel", true);
    private static final List<Spec> ALL = List.of(RESNET50, PROBE, PROBE_NHWC);

    private SavedModels() {
    }

    static Optional<Path> resnet50() {
        return Optional.of(require(RESNET50));
    }

    static Optional<Path> probe() {
        return Optional.of(require(PROBE));
    }

    static Path probeNhwc() {
        return require(PROBE_NHWC);
    }

    /**
     * The tool: builds every test SavedModel whose stamp is missing or stale, in the test-model directory
     * ({@code -Dargus.test.models}, else {@code build/test-models}), or in the directory given as the one argument.
     */
    public static void main(String[] args) throws IOException {
        Path models = args.length > 0 ? Path.of(args[0]) : TestModels.directory();
        for (Spec spec : ALL) {
            Path target = models.resolve(spec.name());
            if (current(models, spec)) {
                System.out.println("make_savedmodels: " + target + " is up to date");
                continue;
            }
            long t0 = System.nanoTime();
            build(models, spec);
            System.out.printf("make_savedmodels: built %s in %d ms%n", target, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static Path require(Spec spec) {
        Path models = TestModels.directory();
        Path target = models.resolve(spec.name());
        if (!current(models, spec)) {
            throw new IllegalStateException("The TensorFlow SavedModel " + target + (Files.isDirectory(target)
                    ? " is stale (the exported weights or the builder changed since it was made)" : " is missing")
                    + ". Make it with 'bash .ci/setup-test-data' (the SavedModels alone: tools/testdata/make_savedmodels).");
        }
        return target;
    }

    private static boolean current(Path models, Spec spec) {
        Path stamp = models.resolve(spec.name()).resolve(STAMP);
        try {
            return Files.isRegularFile(stamp) && Files.readString(stamp).equals(stamp(weights(models, spec), spec.nhwc()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + stamp, e);
        }
    }

    private static Path weights(Path models, Spec spec) {
        Path dir = models.resolve("weights").resolve(spec.weights());
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
            throw new IllegalStateException("Exported weights " + dir + " are missing. Generate the test models "
                    + "with 'bash .ci/setup-test-data' (needs Debian's python3-torch).");
        }
        return dir;
    }

    private static void build(Path models, Spec spec) throws IOException {
        Path weightsDir = weights(models, spec);
        Path target = models.resolve(spec.name());
        // the natives must be loaded before TF Java's classes are used; no model is opened, nothing is inferred
        DjlEnvironment.engine(DjlModel.Engine.TENSORFLOW, DjlTestSupport.tensorflowConfig(), TensorflowCpuGuard::forThisProcess);
        Path tmp = Files.createTempDirectory(models, spec.name() + ".tmp");
        try {
            Path export = tmp.resolve("model");
            TfSavedModelBuilder.build(weightsDir, export, spec.nhwc());
            Files.writeString(export.resolve(STAMP), stamp(weightsDir, spec.nhwc()));
            deleteTree(target);
            Files.move(export, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
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
