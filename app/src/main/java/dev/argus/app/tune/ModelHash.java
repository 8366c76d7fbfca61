package dev.argus.app.tune;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 of a model: of the file, or for a directory (a TensorFlow SavedModel) of every regular file in it, in path
 * order, each as its relative path, a NUL and its bytes. Identifies the model a measured setting belongs to, wherever
 * the file lives.
 */
public final class ModelHash {
    private ModelHash() {
    }

    public static String of(Path model) {
        MessageDigest sha = sha256();
        try {
            Path real = model.toRealPath(); // a link to a SavedModel directory: walk the directory, not the link
            if (Files.isDirectory(real)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(real, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                if (files.isEmpty()) {
                    throw ArgusException.modelUnavailable("The model directory " + model + " holds no files.", null);
                }
                for (Path f : files) {
                    sha.update(real.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    add(sha, f);
                }
            } else {
                add(sha, real);
            }
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Cannot read the model " + model + " to hash it: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void add(MessageDigest sha, Path file) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
