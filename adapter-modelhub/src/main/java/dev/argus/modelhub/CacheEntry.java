package dev.argus.modelhub;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The record kept for a cached file ({@link CachePaths#meta()}, a properties file).
 *
 * @param location     the location it was fetched for, without pin ({@link HubLocation#display()})
 * @param url          where it came from, or {@code "placed by hand"}
 * @param sha256       its SHA-256, lower-case hex
 * @param size         its length in bytes
 * @param hashSource   what the hash was checked against: {@code pin}, {@code hub}, {@code none} (computed only)
 * @param commit       the commit the revision resolved to, or {@code ""} when unknown
 * @param downloadedAt when it was stored
 */
record CacheEntry(String location, String url, String sha256, long size, String hashSource, String commit,
                  Instant downloadedAt) {

    /** The entry, or empty when the file is missing or unreadable (the cached file is then treated as unknown). */
    static Optional<CacheEntry> read(Path meta) {
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new CacheEntry(p.getProperty("location", ""), p.getProperty("url", ""),
                    p.getProperty("sha256", ""), Long.parseLong(p.getProperty("size", "-1")),
                    p.getProperty("hashSource", ""), p.getProperty("commit", ""),
                    Instant.parse(p.getProperty("downloadedAt", Instant.EPOCH.toString()))));
        } catch (IOException | IllegalArgumentException | DateTimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Writes atomically (temporary file, then move), making its directory if need be. */
    void write(Path meta) throws IOException {
        Files.createDirectories(meta.getParent());
        Properties p = new Properties();
        p.setProperty("location", location);
        p.setProperty("url", url);
        p.setProperty("sha256", sha256);
        p.setProperty("size", Long.toString(size));
        p.setProperty("hashSource", hashSource);
        p.setProperty("commit", commit == null ? "" : commit);
        p.setProperty("downloadedAt", downloadedAt.toString());
        Path tmp = meta.resolveSibling(meta.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "Argus model cache entry");
        }
        moveReplacing(tmp, meta);
    }

    static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
