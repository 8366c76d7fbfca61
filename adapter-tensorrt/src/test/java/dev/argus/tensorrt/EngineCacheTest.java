package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCacheTest {
    @TempDir
    Path dir;
    private EngineCache cache;
    private EngineCacheKey key;
    private final byte[] plan = new byte[100_000];

    @BeforeEach
    void setUp() {
        new Random(7).nextBytes(plan);
        cache = new EngineCache(dir.resolve("engines"));
        key = new EngineCacheKey("resnet50.onnx", "ab".repeat(32), "11.2.0", "NVIDIA L4", "8.9",
                TensorRtConfig.Precision.FP32, 1, 8, 32, 1L << 30);
    }

    @Test
    void storedEngineLoadsBackIdentical() {
        assertThat(cache.store(key, plan)).isTrue();
        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Hit.class, h -> assertThat(h.engine()).isEqualTo(plan));
    }

    @Test
    void absentEntryIsAMiss() {
        assertThat(cache.load(key)).isEqualTo(new EngineCache.Miss("absent"));
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFiles() throws IOException {
        cache.store(key, plan);
        cache.store(key, Arrays.copyOf(plan, 10));
        try (Stream<Path> files = Files.list(cache.directory())) {
            assertThat(files).containsExactly(cache.pathOf(key));
        }
        assertThat(((EngineCache.Hit) cache.load(key)).engine()).hasSize(10);
    }

    @Test
    void truncatedEntryIsDeletedAndReportedAsAMiss() throws IOException {
        cache.store(key, plan);
        Path file = cache.pathOf(key);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 5000));
        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).startsWith("truncated"));
        assertThat(file).doesNotExist();
    }

    @Test
    void flippedPayloadByteIsDetectedAsCorrupted() throws IOException {
        cache.store(key, plan);
        Path file = cache.pathOf(key);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).startsWith("corrupted"));
        assertThat(file).doesNotExist();
    }

    @Test
    void foreignFileIsDetectedAsCorrupted() throws IOException {
        Files.createDirectories(cache.directory());
        Files.write(cache.pathOf(key), plan);
        assertThat(((EngineCache.Miss) cache.load(key)).reason()).startsWith("corrupted");
        assertThat(cache.pathOf(key)).doesNotExist();
    }

    @Test
    void entryBuiltForAnotherKeyIsStale() throws IOException {
        EngineCacheKey older = new EngineCacheKey("resnet50.onnx", key.modelSha256(), "11.1.0", key.gpuName(),
                key.computeCapability(), key.precision(), 1, 8, 32, 1L << 30);
        cache.store(older, plan);
        Files.move(cache.pathOf(older), cache.pathOf(key));
        assertThat(((EngineCache.Miss) cache.load(key)).reason()).startsWith("stale").contains("tensorrt=11.1.0");
        assertThat(cache.pathOf(key)).doesNotExist();
    }

    @Test
    void invalidateDeletesTheEntry() {
        cache.store(key, plan);
        cache.invalidate(key, "refused by TensorRT");
        assertThat(cache.load(key)).isEqualTo(new EngineCache.Miss("absent"));
    }

    @Test
    void unwritableDirectoryIsReportedNotThrown() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertThat(new EngineCache(file.resolve("sub")).store(key, plan)).isFalse();
    }
}
