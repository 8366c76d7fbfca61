package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCppCacheTest {
    private static final String ENTRY = "org/bytedeco/tensorrt/linux-x86_64/libjnitensorrt.so";
    private static final byte[] LIB = "the real JNI wrapper".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    private Path cache;
    private JavaCppCache check;

    @BeforeEach
    void jarAndCache() throws Exception {
        Path jar = tmp.resolve("tensorrt-linux-x86_64.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            z.putNextEntry(new ZipEntry(ENTRY));
            z.write(LIB);
            z.closeEntry();
        }
        cache = Files.createDirectories(tmp.resolve("cache"));
        check = new JavaCppCache(Map.of(jar.getFileName().toString(), jar));
    }

    @Test
    void keepsAFileThatIsItsJarEntryAndJavaCppsLinksAndLock() throws Exception {
        Path lib = unpacked(LIB);
        Files.createSymbolicLink(lib.resolveSibling("libjnitensorrt.so.11"), Path.of("libjnitensorrt.so"));
        Files.createFile(cache.resolve(".lock"));

        JavaCppCache.Report r = check.verify(cache);

        assertThat(r.removed()).isEmpty();
        assertThat(r.filesChecked()).isEqualTo(2);
        assertThat(lib).hasBinaryContent(LIB);
    }

    @Test
    void removesAFileOfTheSameSizeAndTimeWithOtherBytes() throws Exception {
        // what JavaCPP itself compares before reusing a cached file: size and time stamp
        byte[] planted = "THE REAL JNI WRAPPER".getBytes(StandardCharsets.UTF_8);
        Path lib = unpacked(planted);
        Files.setLastModifiedTime(lib, FileTime.fromMillis(0));

        JavaCppCache.Report r = check.verify(cache);

        assertThat(lib).doesNotExist();
        assertThat(r.removed()).singleElement().asString().contains("bytes differ");
    }

    @Test
    void removesFilesNoJarHoldsAndDirectoriesOfJarsNotOnTheClassPath() throws Exception {
        Path lib = unpacked(LIB);
        Path extra = Files.write(lib.resolveSibling("libextra.so"), LIB);
        Path foreign = Files.createDirectories(cache.resolve("other.jar").resolve("x"));
        Files.write(foreign.resolve("liby.so"), LIB);

        JavaCppCache.Report r = check.verify(cache);

        assertThat(extra).doesNotExist();
        assertThat(cache.resolve("other.jar")).doesNotExist();
        assertThat(lib).exists();
        assertThat(r.removed()).hasSize(2);
    }

    @Test
    void removesALinkThatLeadsOutOfItsDirectory() throws Exception {
        Path lib = unpacked(LIB);
        Path outside = Files.write(tmp.resolve("libevil.so"), LIB);
        Path link = Files.createSymbolicLink(lib.resolveSibling("libjnitensorrt.so.11"), outside);

        check.verify(cache);

        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(outside).as("the target is not touched").exists();
    }

    @Test
    void findsTheJarsOfAManifestOnlyClassPathToo() {
        // Surefire starts tests with a manifest-only jar: java.class.path names none of the jars themselves
        JavaCppCache c = JavaCppCache.ofClassPath();
        assertThat(c.verify(cache.resolve("absent")).removed()).isEmpty();
        assertThat(c).extracting("jars").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKey("javacpp-1.5.14-linux-x86_64.jar");
    }

    private Path unpacked(byte[] content) throws Exception {
        Path lib = cache.resolve("tensorrt-linux-x86_64.jar").resolve(ENTRY);
        Files.createDirectories(lib.getParent());
        try (OutputStream out = Files.newOutputStream(lib)) {
            out.write(content);
        }
        return lib;
    }
}
