package dev.argus.imageio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real photos in {@code shared/images} (system property {@code argus.shared.dir}, else {@code ../../shared} from
 * the module directory). Optional and outside the repository: when absent the list is empty and the tests that need
 * it skip (docs/README.md, "Optional material outside the repository").
 */
final class SharedPhotos {
    private SharedPhotos() {
    }

    static Path directory() {
        String configured = System.getProperty("argus.shared.dir");
        Path shared = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().resolve("../../shared").normalize();
        return shared.resolve("images");
    }

    static List<Path> jpegs() throws IOException {
        Path dir = directory();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".jpg")).sorted().toList();
        }
    }
}
