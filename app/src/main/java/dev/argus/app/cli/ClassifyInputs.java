package dev.argus.app.cli;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.rest.RestCloudflareWire;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code argus classify} reads: image files, directories searched for them, and {@code -}, one image (or
 * Cloudflare JSON body) on standard input. Every input is bounded by the same byte limit: a file by its size before it
 * is read, standard input by reading at most one byte past the limit.
 */
final class ClassifyInputs {
    /** The argument that stands for standard input; {@code ./-} is a file of that name. */
    static final Path STDIN = Path.of("-");
    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp");

    private final InputStream stdin;
    private final long maxBytes;

    ClassifyInputs(InputStream stdin, long maxBytes) {
        this.stdin = stdin;
        this.maxBytes = maxBytes;
    }

    static boolean isStdin(Path p) {
        return p.toString().equals(STDIN.toString());
    }

    /** How an input is named in messages: the file, or "stdin". */
    static String describe(Path p) {
        return isStdin(p) ? "stdin" : p.toString();
    }

    /** The inputs as files, in order: directories replaced by the image files under them (sorted), "-" kept as is. */
    static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (isStdin(p)) {
                files.add(STDIN);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(ClassifyInputs::looksLikeImage).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw ArgusException.invalidInput("Cannot read directory " + p + ": " + e.getMessage());
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new ArgusException(ErrorCode.INVALID_INPUT, "No such file: " + p);
            }
        }
        return files;
    }

    /** One input as an image: refused when over the byte limit (a file unread), a clear error when it cannot be read. */
    ImageInput read(Path f) {
        if (isStdin(f)) {
            byte[] bytes = readStdin();
            return looksLikeJson(bytes) ? RestCloudflareWire.parseRequest(bytes, maxBytes) : ImageInput.of(bytes);
        }
        try {
            long size = Files.size(f);
            if (size > maxBytes) {
                throw ArgusException.tooLarge("The file is " + size + " bytes; the limit is " + maxBytes
                        + " bytes (argus.limits.max-bytes).");
            }
            byte[] bytes = Files.readAllBytes(f);
            return f.getFileName().toString().endsWith(".json") ? RestCloudflareWire.parseRequest(bytes, maxBytes) : ImageInput.of(bytes);
        } catch (IOException e) {
            throw ArgusException.invalidInput("Cannot read " + f + ": " + e);
        }
    }

    /** Standard input, read in chunks up to one byte past the limit: a larger stream is refused, never read whole. */
    private byte[] readStdin() {
        byte[] bytes;
        try {
            // readNBytes grows its buffer as data arrives: a small image costs what it holds, not the limit
            bytes = stdin.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw ArgusException.invalidInput("Cannot read standard input: " + e);
        }
        if (bytes.length > maxBytes) {
            throw ArgusException.tooLarge("Standard input holds more than " + maxBytes + " bytes, the limit "
                    + "(argus.limits.max-bytes); reading stopped there.");
        }
        return bytes;
    }

    /** A Cloudflare request body ({"image": [...]}) rather than an image: no image format starts with '{'. */
    private static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    private static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
