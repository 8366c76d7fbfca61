package dev.argus.djl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks what DJL unpacked into {@code <cache>/engines/pytorch/} before the PyTorch engine starts. DJL unpacks libtorch
 * and its JNI library there once, and at every later start loads every library it finds in that directory
 * ({@code System.load} of each file) without checking any of them; the cache lives in Argus's writable data dir. So each
 * file there is held to the SHA-256 recorded for the pinned natives ({@value #RECORD}); anything else (a changed file,
 * an unknown file, a link, a sub-directory) is removed before DJL looks. A libtorch directory with anything wrong is
 * removed whole, and DJL unpacks it again from the jar on the class path; elsewhere (the JNI library beside a configured
 * libtorch) only the wrong entry goes, and DJL unpacks the JNI library again.
 *
 * <p>This closes the door between starts, not during one: whoever can write the directory while the engine starts can
 * still race the check. Keep the cache dir writable by the serving user only (README, Security).
 */
final class PyTorchNativeCache {
    static final String RECORD = "pytorch-natives.sha256";
    private static final System.Logger LOG = System.getLogger(PyTorchNativeCache.class.getName());
    private static final String LIBTORCH = "libtorch.so";

    /** A recorded file: its name in the cache, its SHA-256, the jar resource it comes from. */
    record Recorded(String name, String sha256, String resource) {
    }

    /** What a check found and did. */
    record Report(int filesChecked, List<String> removed) {
        boolean clean() {
            return removed.isEmpty();
        }
    }

    private final Map<String, Set<String>> allowed;

    PyTorchNativeCache(List<Recorded> recorded) {
        Map<String, Set<String>> m = new HashMap<>();
        for (Recorded r : recorded) {
            m.computeIfAbsent(r.name(), k -> new HashSet<>()).add(r.sha256());
        }
        this.allowed = Map.copyOf(m);
    }

    /** The check for the natives this build pins. */
    static PyTorchNativeCache pinned() {
        return new PyTorchNativeCache(recorded());
    }

    /** The lines of {@value #RECORD}. */
    static List<Recorded> recorded() {
        try (InputStream in = PyTorchNativeCache.class.getResourceAsStream(RECORD)) {
            if (in == null) {
                throw new IllegalStateException(RECORD + " is missing from adapter-djl's jar");
            }
            List<Recorded> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f.length != 3 || f[0].length() != 64) {
                    throw new IllegalStateException(RECORD + ": malformed line '" + line + "'");
                }
                out.add(new Recorded(f[1], f[0].toLowerCase(java.util.Locale.ROOT), f[2]));
            }
            return Collections.unmodifiableList(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RECORD, e);
        }
    }

    /**
     * Checks {@code pytorchDir} ({@code <ENGINE_CACHE_DIR>/pytorch}) and removes what does not match the record.
     *
     * @throws UncheckedIOException if something wrong cannot be removed (the engine must not start then)
     */
    Report verify(Path pytorchDir) {
        if (!Files.isDirectory(pytorchDir, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(pytorchDir, LinkOption.NOFOLLOW_LINKS)) {
                List<String> removed = new ArrayList<>();
                remove(pytorchDir, "not a directory", removed);
                return new Report(0, removed);
            }
            return new Report(0, List.of());
        }
        List<String> removed = new ArrayList<>();
        int checked = 0;
        for (Path entry : list(pytorchDir)) {
            if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                // DJL keeps nothing but version directories here (and its own tmp* directories while unpacking)
                remove(entry, "not a DJL version directory", removed);
                continue;
            }
            boolean libtorch = Files.exists(entry.resolve(LIBTORCH), LinkOption.NOFOLLOW_LINKS);
            List<String> wrong = new ArrayList<>();
            for (Path file : list(entry)) {
                String why = problem(file);
                checked++;
                if (why != null) {
                    wrong.add(file.getFileName() + " (" + why + ")");
                    if (!libtorch) {
                        remove(file, why, removed);
                    }
                }
            }
            if (libtorch && !wrong.isEmpty()) {
                remove(entry, "holds " + String.join(", ", wrong) + "; DJL unpacks it again from the class path", removed);
            }
        }
        return new Report(checked, List.copyOf(removed));
    }

    /** Why {@code file} may not stay, or null if it matches the record. */
    private String problem(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Files.isSymbolicLink(file) ? "a symbolic link" : "not a regular file";
        }
        Set<String> hashes = allowed.get(file.getFileName().toString());
        if (hashes == null) {
            return "not a file DJL unpacks";
        }
        String actual = sha256(file);
        return hashes.contains(actual) ? null : "SHA-256 " + actual + " is not the recorded one";
    }

    private static void remove(Path p, String why, List<String> removed) {
        LOG.log(System.Logger.Level.WARNING, "Removing {0} from the DJL native cache: {1}", p, why);
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
            throw new UncheckedIOException("Cannot remove " + p + " from the DJL native cache (" + why + "): " + e.getMessage()
                    + ". Remove it by hand, or point argus.djl.cache-dir at a directory only Argus writes.", e);
        }
        removed.add(p + ": " + why);
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the DJL native cache " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static String sha256(Path file) {
        MessageDigest d = digest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                d.update(buf);
                buf.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " in the DJL native cache: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
