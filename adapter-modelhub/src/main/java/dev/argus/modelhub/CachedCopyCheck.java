package dev.argus.modelhub;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Whether a cached copy is still what the Hub serves, where the cache alone cannot tell: a file without a record
 * (placed by hand, or left by something else) is checked against the hash the Hub publishes, and a revision that is a
 * branch or tag is re-resolved, since it may have moved to another commit. One HEAD, not retried: when the Hub cannot
 * be asked, the cached copy is used with a warning, so that a start without network keeps working. A pinned location,
 * and a recorded file of a full commit hash, are never re-checked.
 */
final class CachedCopyCheck {
    private static final System.Logger LOG = System.getLogger(CachedCopyCheck.class.getName());
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final HubDownloader oneTry;

    /** @param oneTry asks the Hub without retrying: a re-check that fails costs one try, not a backoff */
    CachedCopyCheck(HubDownloader oneTry) {
        this.oneTry = oneTry;
    }

    /** {@code null} when {@code cached} is to be used; otherwise what the Hub offers instead, to be downloaded. */
    RemoteFile changedUpstream(HubLocation hub, CachePaths paths, ModelCache.Lookup cached, URI url)
            throws InterruptedException {
        CacheEntry entry = cached.entry();
        boolean unverified = cached.unverified();
        if (hub.sha256() != null) { // the cached file has the pinned hash: nothing the Hub says changes that
            if (!cached.recorded() || unverified) {
                LOG.log(Level.INFO, "Using {0} found at {1}, placed by hand: it matches the pin",
                        hub.display(), paths.target());
                ModelCache.record(paths, with(entry, "pin", entry.commit()));
            }
            return null;
        }
        if (!unverified && COMMIT.matcher(hub.revision()).matches()) {
            return null; // a commit never changes
        }
        RemoteFile remote;
        try {
            remote = oneTry.head(url);
        } catch (HubFailure f) {
            warnUnchecked(hub, paths.target(), cached, f);
            if (!cached.recorded()) {
                ModelCache.record(paths, entry);
            }
            return null;
        }
        if (!matches(entry, remote)) {
            if (unverified) {
                LOG.log(Level.WARNING, "{0} at {1} has no download record and is not what the Hub publishes (sha256 "
                        + "{2}, size {3}; the Hub''s: {4}, {5}); downloading it", hub.display(), paths.target(),
                        entry.sha256(), String.valueOf(entry.size()), shown(remote.sha256()),
                        String.valueOf(remote.size()));
            } else {
                LOG.log(Level.INFO, "Revision ''{0}'' of {1} has moved (commit {2} to {3}, sha256 {4} to {5}); "
                        + "downloading the new version", hub.revision(), hub.display(), shown(entry.commit()),
                        shown(remote.commit()), entry.sha256(), shown(remote.sha256()));
            }
            return remote;
        }
        CacheEntry confirmed = confirmed(entry, remote);
        if (!cached.recorded() || !confirmed.equals(entry)) {
            ModelCache.record(paths, confirmed);
        }
        if (unverified) {
            LOG.log(Level.INFO, "Using {0} found at {1} without a download record: {2}", hub.display(),
                    paths.target(), remote.sha256() != null ? "it matches the sha256 the Hub publishes"
                            : "the Hub publishes no sha256 for it, so only its size was checked; to verify it, pin it: "
                            + hub.display() + "#sha256=" + entry.sha256());
        }
        return null;
    }

    /** Offline nothing can be checked: a recorded copy is used as it is; one without a record is recorded as found. */
    Path acceptOffline(HubLocation hub, CachePaths paths, ModelCache.Lookup cached) {
        if (!cached.recorded()) {
            LOG.log(Level.INFO, "Using {0} found at {1} (no download record, sha256 {2}); " + (hub.sha256() != null
                    ? "it matches the pin" : "offline, it is not checked against the Hub. To verify it, pin it: "
                    + "{0}#sha256={2}"), hub.display(), paths.target(), cached.entry().sha256());
            ModelCache.record(paths, cached.entry());
        } else {
            LOG.log(Level.DEBUG, "Using cached {0} at {1}; offline mode, so revision ''{2}'' is not re-checked",
                    hub.display(), paths.target(), hub.revision());
        }
        return cached.file();
    }

    /** Same file: same published hash; failing that, same size and (where both are known) same commit. */
    private static boolean matches(CacheEntry entry, RemoteFile remote) {
        if (remote.sha256() != null) {
            return remote.sha256().equals(entry.sha256());
        }
        if (remote.size() >= 0 && remote.size() != entry.size()) {
            return false;
        }
        return remote.commit() == null || entry.commit().isEmpty() || remote.commit().equals(entry.commit());
    }

    /** The entry as the Hub just confirmed it: verified against its hash if it publishes one, at its commit. */
    private static CacheEntry confirmed(CacheEntry entry, RemoteFile remote) {
        String hashSource = "none".equals(entry.hashSource()) && remote.sha256() != null ? "hub" : entry.hashSource();
        return with(entry, hashSource, remote.commit() != null ? remote.commit() : entry.commit());
    }

    private static CacheEntry with(CacheEntry entry, String hashSource, String commit) {
        return new CacheEntry(entry.location(), entry.url(), entry.sha256(), entry.size(), hashSource, commit,
                entry.downloadedAt());
    }

    private static void warnUnchecked(HubLocation hub, Path target, ModelCache.Lookup cached, HubFailure f) {
        String why = (f.host() == null ? "" : f.host() + ": ") + f.getMessage();
        if (cached.unverified()) {
            LOG.log(Level.WARNING, "Using {0} at {1}, which has no download record, as it is: it could not be checked "
                    + "against the Hub ({2}). It is checked again at the next start; to trust it without the Hub, "
                    + "pin it: {0}#sha256={3}", hub.display(), target, why, cached.entry().sha256());
        } else {
            LOG.log(Level.WARNING, "Serving the cached copy of {0} (commit {1}): revision ''{2}'' could not be "
                    + "re-checked ({3}); a newer commit on it, if any, is picked up at a later start", hub.display(),
                    shown(cached.entry().commit()), hub.revision(), why);
        }
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }
}
