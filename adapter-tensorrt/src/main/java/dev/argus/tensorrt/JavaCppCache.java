package dev.argus.tensorrt;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks JavaCPP's library cache against the jars it was unpacked from, before JavaCPP loads anything from it. JavaCPP
 * unpacks each native library of a jar to {@code <cachedir>/<jar file name>/<entry>} and at later starts reuses a file
 * whose size and time stamp match the jar entry's, without reading it; Argus keeps that cache in its writable data
 * dir. Here every file is compared, byte for byte, with the entry of the same name in the jar of the same name on the
 * class path; a file that differs, has no such entry, or is a link leading out of its directory is removed, and JavaCPP
 * unpacks the entry again when it loads it.
 *
 * <p>The jars on the class path are the record. This closes the door between starts, not during one: keep the cache
 * writable by the serving user only (README, Security).
 */
final class JavaCppCache {
    private static final System.Logger LOG = System.getLogger(JavaCppCache.class.getName());
    /** JavaCPP's lock file at the top of the cache; its content is never read. */
    private static final String LOCK = ".lock";

    /** What a check found and did. */
    record Report(int filesChecked, List<String> removed) {
    }

    private final Map<String, Path> jars;

    /** @param jars the jars JavaCPP may have unpacked from, by file name */
    JavaCppCache(Map<String, Path> jars) {
        this.jars = Map.copyOf(jars);
    }

    /** The check for the jars this class's loader sees (each jar has a manifest; a manifest-only class path too). */
    static JavaCppCache ofClassPath() {
        Map<String, Path> jars = new HashMap<>();
        try {
            Enumeration<URL> manifests = JavaCppCache.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                URL u = manifests.nextElement();
                if (u.getProtocol().equals("jar") && u.getPath().startsWith("file:") && u.getPath().contains("!/")) {
                    Path jar = Path.of(URI.create(u.getPath().substring(0, u.getPath().indexOf("!/"))));
                    jars.putIfAbsent(jar.getFileName().toString(), jar);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot list the jars on the class path: " + e.getMessage(), e);
        }
        return new JavaCppCache(jars);
    }

    /**
     * Checks {@code cacheDir} and removes what does not match its jar.
     *
     * @throws UncheckedIOException if something wrong cannot be removed or a jar cannot be read
     */
    Report verify(Path cacheDir) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(cacheDir, LinkOption.NOFOLLOW_LINKS)) {
            return new Report(0, removed);
        }
        int checked = 0;
        for (Path top : list(cacheDir)) {
            String name = top.getFileName().toString();
            if (name.equals(LOCK) && Files.isRegularFile(top, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path jar = jars.get(name);
            if (jar == null || !Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
                remove(top, jar == null ? "no jar of that name on the class path" : "not a directory", removed);
                continue;
            }
            try (ZipFile zip = new ZipFile(jar.toFile()); Stream<Path> walk = Files.walk(top)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    if (p.equals(top) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    checked++;
                    String entry = top.relativize(p).toString().replace(File.separatorChar, '/');
                    String why = problem(zip, entry, p);
                    if (why != null) {
                        remove(p, why, removed);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot check JavaCPP's cache " + top + " against " + jar + ": " + e.getMessage(), e);
            }
        }
        return new Report(checked, List.copyOf(removed));
    }

    /** Why the cached file may not stay, or null if it is the jar entry's bytes (or a link JavaCPP made beside one). */
    private static String problem(ZipFile zip, String entry, Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            // JavaCPP links a library's other names (libfoo.so.1 -> libfoo.so.1.2) within one directory
            Path target = Files.readSymbolicLink(file);
            boolean sibling = target.getNameCount() == 1 && !target.isAbsolute()
                    && Files.isRegularFile(file.resolveSibling(target), LinkOption.NOFOLLOW_LINKS);
            return sibling ? null : "a link to " + target + ", not to a library beside it";
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return "not a regular file";
        }
        ZipEntry e = zip.getEntry(entry);
        if (e == null || e.isDirectory()) {
            return "no entry " + entry + " in " + zip.getName();
        }
        if (e.getSize() >= 0 && e.getSize() != Files.size(file)) {
            return "its size differs from " + entry + " in " + zip.getName();
        }
        try (InputStream a = zip.getInputStream(e); InputStream b = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return sameBytes(a, b) ? null : "its bytes differ from " + entry + " in " + zip.getName();
        }
    }

    private static boolean sameBytes(InputStream a, InputStream b) throws IOException {
        byte[] x = new byte[1 << 16];
        byte[] y = new byte[1 << 16];
        while (true) {
            int n = a.readNBytes(x, 0, x.length);
            int m = b.readNBytes(y, 0, y.length);
            if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
                return false;
            }
            if (n == 0) {
                return true;
            }
        }
    }

    private static void remove(Path p, String why, List<String> removed) {
        LOG.log(System.Logger.Level.WARNING, "Removing {0} from JavaCPP''s cache: {1}", p, why);
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(q);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + p + " from JavaCPP's cache (" + why + "): " + e.getMessage()
                    + ". Remove it by hand, or point org.bytedeco.javacpp.cachedir at a directory only Argus writes.", e);
        }
        removed.add(p + ": " + why);
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list JavaCPP's cache " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
