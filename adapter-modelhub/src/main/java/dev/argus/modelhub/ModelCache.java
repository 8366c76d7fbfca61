package dev.argus.modelhub;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Decides whether a cached file may be reused, and puts verified downloads into place. */
final class ModelCache {
    static final String PLACED_BY_HAND = "placed by hand";
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());

    /**
     * Outcome of a cache lookup.
     *
     * @param file    the usable file, or {@code null}
     * @param problem why a file that is there cannot be used, or {@code null} (then it is simply absent)
     */
    record Lookup(Path file, String problem) {
        boolean hit() {
            return file != null;
        }
    }

    private final boolean verifyHash;

    ModelCache(boolean verifyHash) {
        this.verifyHash = verifyHash;
    }

    /**
     * A cached file is reused when its record matches the location (and pin) and its size, and, with
     * {@code verifyHash}, its hash. A file without a record was put there by hand: it is used as it is (after
     * checking the pin, if any) and a record is written for it.
     */
    Lookup lookup(HubLocation location, CachePaths paths) {
        Path target = paths.target();
        if (!Files.isRegularFile(target)) {
            return new Lookup(null, null);
        }
        try {
            long size = Files.size(target);
            if (size == 0) {
                return new Lookup(null, target + " is empty");
            }
            Optional<CacheEntry> entry = CacheEntry.read(paths.meta());
            if (entry.isEmpty()) {
                return placedByHand(location, paths, size);
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
            return problem == null ? new Lookup(target, null) : new Lookup(null, problem);
        } catch (IOException e) {
            return new Lookup(null, "it cannot be read (" + e.getMessage() + ")");
        }
    }

    private Lookup placedByHand(HubLocation location, CachePaths paths, long size) throws IOException {
        String actual = Sha256.of(paths.target());
        if (location.sha256() != null && !location.sha256().equals(actual)) {
            return new Lookup(null, "it has sha256 " + actual + " but the location pins " + location.sha256());
        }
        LOG.log(Level.INFO, "Using {0} found at {1} (no download record, sha256 {2}). To verify it in future, pin it:"
                + " {3}#sha256={2}", location.display(), paths.target(), actual, location.display());
        try {
            new CacheEntry(location.display(), PLACED_BY_HAND, actual, size,
                    location.sha256() == null ? "none" : "pin", "", Instant.now()).write(paths.meta());
        } catch (IOException readOnlyCache) {
            LOG.log(Level.DEBUG, "Cannot record {0}: {1}", paths.meta(), readOnlyCache.getMessage());
        }
        return new Lookup(paths.target(), null);
    }

    /** Moves the verified {@code .part} into place, then records it. */
    void store(CachePaths paths, CacheEntry entry) throws HubFailure {
        try {
            Files.deleteIfExists(paths.meta());
            CacheEntry.moveReplacing(paths.part(), paths.target());
        } catch (IOException e) {
            throw HubFailure.localIo(paths.target(), e);
        }
        try {
            entry.write(paths.meta());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot write {0} ({1}); the file will be rehashed next time", paths.meta(),
                    e.getMessage());
        }
    }
}
