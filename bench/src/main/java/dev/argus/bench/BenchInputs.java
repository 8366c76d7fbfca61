package dev.argus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Where benchmarks find their inputs: {@code -Dargus.bench.images} (default ../shared/images) and the test models. */
final class BenchInputs {
    private BenchInputs() {
    }

    static Path imagesDir() {
        return Paths.get(System.getProperty("argus.bench.images", "../shared/images"));
    }

    static Path modelsDir() {
        return Paths.get(System.getProperty("argus.test.models", "build/test-models"));
    }

    static byte[] photo(String name) {
        Path p = imagesDir().resolve(name);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark photo " + p + " missing (set -Dargus.bench.images=DIR)", e);
        }
    }

    static long countPhotos() {
        try (Stream<Path> s = Files.list(imagesDir())) {
            return s.filter(p -> p.toString().endsWith(".jpg")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
