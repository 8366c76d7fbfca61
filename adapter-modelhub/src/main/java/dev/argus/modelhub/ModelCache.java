package dev.argus.modelhub;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Decides whether a cached file may be reused, keeps its record, and puts verified downloads into place. */
final class ModelCache {
    static final String PLACED_BY_HAND = "placed by hand";
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());

    /**
     * Outcome of a cache lookup.
     *
     * @param file     the usable file, or {@code null}
     * @param problem  why a file that is there cannot be used, or {@code null} (then it is simply absent)
     * @param entry    what is known about the usable file: its record, or for a file without one, what was found
     *                 (placed by hand, its hash computed); {@code null} when there is no usable file
     * @param recorded whether {@code entry} is on disk already
     */
    record Lookup(Path file, String problem, CacheEntry entry, boolean recorded) {
        static Lookup miss(String problem) {
            return new Lookup(null, problem, null, false);
        }

        boolean hit() {
            return file != null;
        }

        /** A file nobody checked against a hash: found without a record, or recorded as such by an earlier run. */
        boolean unverified() {
            return hit() && PLACED_BY_HAND.equals(entry.url()) && "none".equals(entry.hashSource());
        }
    }

    private final boolean verifyHash;

    ModelCache(boolean verifyHash) {
        this.verifyHash = verifyHash;
    }

    /**
     * A cached file is reused when its record matches the location (and pin) and its size, and, with
     * {@code verifyHash}, its hash. A record in the previous layout ({@link CachePaths#legacyMeta()}) is carried over.
     * A file without a record is hashed and checked against the pin, if any; whether it may be used beyond that is for
     * the caller to find out ({@link Lookup#unverified()}), and to {@link #record} once it knows.
     */
    Lookup lookup(HubLocation location, CachePaths paths) {
        Path target = paths.target();
        if (!Files.isRegularFile(target)) {
            return Lookup.miss(null);
        }
        try {
            long size = Files.size(target);
            if (size == 0) {
                return Lookup.miss(target + " is empty");
            }
            Optional<CacheEntry> entry = CacheEntry.read(paths.meta()).or(() -> legacy(location, paths));
            if (entry.isEmpty()) {
                return withoutRecord(location, paths, size);
            }
            CacheEntry e = entry.get();
            String problem = !e.location().equals(location.display()) ? "its record is for " + e.location()
                    : e.size() != size ? "its size " + size + " differs from the recorded " + e.size()
                    : location.sha256() != null && !location.sha256().equals(e.sha256())
                    ? "it has sha256 " + e.sha256() + " but the location pins " + location.sha256()
                    : null;
            if (problem == null && verifyHash) {
                String actual = Sha256.of(target);
                problem = actual.equals(e.sha256()) ? null
                        : "it is corrupted: sha256 " + actual + ", recorded " + e.sha256();
            }
            return problem == null ? new Lookup(target, null, e, true) : Lookup.miss(problem);
        } catch (IOException e) {
            return Lookup.miss("it cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Lookup withoutRecord(HubLocation location, CachePaths paths, long size) throws IOException {
        String actual = Sha256.of(paths.target());
        if (location.sha256() != null && !location.sha256().equals(actual)) {
            return Lookup.miss("it has sha256 " + actual + " but the location pins " + location.sha256());
        }
        return new Lookup(paths.target(), null, new CacheEntry(location.display(), PLACED_BY_HAND, actual, size,
                location.sha256() == null ? "none" : "pin", "", Instant.now()), false);
    }

    /** The record the previous layout kept beside the file, if it is one and is for this location. */
    private static Optional<CacheEntry> legacy(HubLocation location, CachePaths paths) {
        Optional<CacheEntry> entry = CacheEntry.read(paths.legacyMeta())
                .filter(e -> e.location().equals(location.display()));
        entry.ifPresent(e -> {
            LOG.log(Level.INFO, "Carrying over the record of {0} from {1} to {2}", location.display(),
                    paths.legacyMeta(), paths.meta());
            record(paths, e);
        });
        return entry;
    }

    /** Writes the record; a cache that cannot take it (read-only) only costs a rehash next time. */
    static void record(CachePaths paths, CacheEntry entry) {
        try {
            entry.write(paths.meta());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Cannot record {0}: {1}", paths.meta(), e.getMessage());
        }
    }

    /** Moves the verified {@code .part} into place, then records it. */
    void store(CachePaths paths, CacheEntry entry) throws HubFailure {
        try {
            Files.deleteIfExists(paths.meta());
            Files.createDirectories(paths.target().getParent());
            CacheEntry.moveReplacing(paths.part(), paths.target());
        } catch (IOException e) {
            throw HubFailure.localIo(paths.target(), e);
        }
        try {
            entry.write(paths.meta());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot write {0} ({1}); the file will be checked again next time", paths.meta(),
                    e.getMessage());
        }
    }
}
