package dev.argus.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Locates the repository root and the shared material beside it. */
public final class RepoPaths {
    private RepoPaths() {
    }

    /** The repository root: the nearest directory upwards from the working directory holding {@code .ci/}. */
    public static Path root() {
        Path p = Paths.get("").toAbsolutePath();
        for (Path cur = p; cur != null; cur = cur.getParent()) {
            if (Files.isDirectory(cur.resolve(".ci")) && Files.isRegularFile(cur.resolve("pom.xml"))) {
                return cur;
            }
        }
        return p;
    }

    /**
     * {@code ../shared/images} (seven real photos) when present: it is not part of the product and lies outside the
     * repository, so empty when absent (docs/README.md, "Optional material outside the repository").
     */
    public static Optional<Path> sharedImages() {
        String prop = System.getProperty("argus.shared.dir");
        Path shared = prop != null && !prop.isBlank() ? Paths.get(prop) : root().resolveSibling("shared");
        Path images = shared.resolve("images");
        return Files.isDirectory(images) ? Optional.of(images) : Optional.empty();
    }
}
