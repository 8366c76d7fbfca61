package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    @Test
    void createsItsDirectoryForTheServingUserAlone() throws IOException {
        assertThat(cache.store(key, plan)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("engines")))).isEqualTo("rwx------");
    }

    @Test
    void anEntryInADirectoryOthersCanWriteIsNotUsedNorDeleted() throws IOException {
        assertThat(cache.store(key, plan)).isTrue();
        Files.setPosixFilePermissions(dir.resolve("engines"), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).startsWith("untrusted").contains("writable by others"));
        assertThat(cache.pathOf(key)).exists();
        assertThat(cache.store(key, plan)).as("nor is a new one stored there").isFalse();
    }

    @Test
    void anEntryTheGroupCanWriteIsNotUsed() throws IOException {
        assertThat(cache.store(key, plan)).isTrue();
        Files.setPosixFilePermissions(cache.pathOf(key), PosixFilePermissions.fromString("rw-rw-r--"));

        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).contains("writable by its group"));
    }

    @Test
    void anEntryThatIsALinkIsNotUsed() throws IOException {
        Path elsewhere = dir.resolve("elsewhere");
        new EngineCache(elsewhere).store(key, plan);
        Files.createDirectories(dir.resolve("engines"));
        Files.createSymbolicLink(cache.pathOf(key), elsewhere.resolve(key.fileName()));

        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).contains("symbolic link"));
    }

    @Test
    void aPrivateCacheIsTrusted() throws IOException {
        assertThat(cache.store(key, plan)).isTrue();
        assertThat(EngineCache.untrusted(dir.resolve("engines"))).isNull();
        assertThat(EngineCache.untrusted(cache.pathOf(key))).isNull();
    }

    @Test
    void anEntryAnotherUserOwnsIsNotUsed() throws IOException {
        assertThat(cache.store(key, plan)).isTrue();
        var nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        org.junit.jupiter.api.Assumptions.assumeTrue(canChown(cache.pathOf(key), nobody),
                "changing a file's owner needs root (CI runs as root)");

        assertThat(cache.load(key)).isInstanceOfSatisfying(EngineCache.Miss.class,
                m -> assertThat(m.reason()).contains("owned by nobody"));
    }

    private static boolean canChown(Path p, java.nio.file.attribute.UserPrincipal user) {
        try {
            Files.setOwner(p, user);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
