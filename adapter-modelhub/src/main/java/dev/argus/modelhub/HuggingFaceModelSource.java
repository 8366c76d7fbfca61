package dev.argus.modelhub;

import dev.argus.ports.out.ModelSource;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Model files from the Hugging Face Hub ({@code hf://OWNER/REPO/PATH[@REVISION][#sha256=HEX]}): downloaded once,
 * verified (size and SHA-256: the pin, else the Hub's {@code X-Linked-Etag}), kept in the cache and reused. A cached
 * file of a pinned location or of a commit is reused without touching the network; one of a branch (or tag) costs a
 * HEAD, to pick up a new commit; one found without a record is checked against the Hub's hash (see
 * {@link CachedCopyCheck}). Thread-safe; concurrent resolves of one file, also from other processes, download it once.
 */
final class HuggingFaceModelSource implements ModelSource, LocationSyntax {
    private static final System.Logger LOG = System.getLogger(HuggingFaceModelSource.class.getName());

    private final HubConfig config;
    private final HubDownloader downloader;
    private final ModelCache cache;
    private final CachedCopyCheck check;

    public HuggingFaceModelSource(HubConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        HubHttp http = new HubHttp(config);
        this.downloader = new HubDownloader(http, new Retrier(config.maxAttempts(), config.backoffBase()));
        this.cache = new ModelCache(config.verifyCachedHash());
        this.check = new CachedCopyCheck(new HubDownloader(http, new Retrier(1, config.backoffBase())));
    }

    public HubConfig config() {
        return config;
    }

    @Override
    public boolean supports(String location) {
        return HubLocation.isHubLocation(location);
    }

    @Override
    public String locationSyntax() {
        return HubLocation.SYNTAX + " (e.g. " + HubLocation.EXAMPLE + ")";
    }

    /** Where the file for this location is, or will be, cached. */
    public Path cachePath(String location) {
        return CachePaths.of(config.cacheDir(), HubLocation.parse(location)).target();
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block, not used in it
    public Path resolve(String location, ProgressListener progress) {
        HubLocation hub = HubLocation.parse(location);
        CachePaths paths = CachePaths.of(config.cacheDir(), hub);
        HubMessages messages = new HubMessages(config, hub, paths.target());
        if (config.offline()) {
            // no lock: a download elsewhere only ever moves a complete, verified file into place
            ModelCache.Lookup cached = cache.lookup(hub, paths);
            if (cached.hit()) {
                return check.acceptOffline(hub, paths, cached);
            }
            throw messages.offline(cached.problem());
        }
        try (TargetLock lock = TargetLock.acquire(paths.lock(), config.lockTimeout(), () -> partLength(paths))) {
            ModelCache.Lookup cached = cache.lookup(hub, paths);
            if (cached.hit()) {
                RemoteFile newer = check.changedUpstream(hub, paths, cached, messages.url());
                if (newer == null) {
                    LOG.log(Level.DEBUG, "Using cached {0} at {1}", hub.display(), cached.file());
                    return cached.file();
                }
                return replace(hub, paths, messages, progress(progress), cached, newer);
            }
            if (cached.problem() != null) {
                LOG.log(Level.WARNING, "The cached copy of {0} at {1} cannot be used: {2}; downloading it again",
                        hub.display(), paths.target(), cached.problem());
            }
            return fetch(hub, paths, messages, progress(progress), downloader.head(messages.url()));
        } catch (HubFailure failure) {
            throw messages.failure(failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw messages.interrupted();
        }
    }

    /**
     * Downloads what the Hub now offers in place of {@code cached}. If that fails and {@code cached} was verified
     * (the previous commit of a branch), it is served still, with a warning; one never verified is not.
     */
    private Path replace(HubLocation hub, CachePaths paths, HubMessages messages, ProgressListener progress,
                         ModelCache.Lookup cached, RemoteFile newer) throws HubFailure, InterruptedException {
        try {
            return fetch(hub, paths, messages, progress, newer);
        } catch (HubFailure failure) {
            if (cached.unverified()) {
                throw failure;
            }
            LOG.log(Level.WARNING, "Could not download the new version of {0} ({1}); serving the cached copy (commit "
                    + "{2}) and trying again at the next start", hub.display(),
                    (failure.host() == null ? "" : failure.host() + ": ") + failure.getMessage(),
                    cached.entry().commit().isEmpty() ? "unknown" : cached.entry().commit());
            return cached.file();
        }
    }

    private Path fetch(HubLocation hub, CachePaths paths, HubMessages messages, ProgressListener progress,
                       RemoteFile remote) throws HubFailure, InterruptedException {
        URI url = messages.url();
        if (hub.sha256() != null && remote.sha256() != null && !hub.sha256().equals(remote.sha256())) {
            throw messages.pinDisagrees(remote);
        }
        String expected = hub.sha256() != null ? hub.sha256() : remote.sha256();
        String hashSource = hub.sha256() != null ? "pin" : remote.sha256() != null ? "hub" : "none";
        LOG.log(Level.INFO, "Downloading {0} ({1}) to {2}", hub.display(), HubMessages.size(remote.size()),
                paths.target());
        long started = System.nanoTime();
        PartFile.keepOnlyIfFrom(paths.part(), remote);
        Transfer transfer;
        for (int round = 1; ; round++) {
            transfer = downloader.download(url, paths.part(), remote.size(), progress);
            String mismatch = mismatch(transfer, expected, remote.size());
            if (mismatch == null) {
                break;
            }
            PartFile.delete(paths.part());
            if (round == 2) {
                throw messages.corrupt(mismatch, hashSource);
            }
            LOG.log(Level.WARNING, "Download of {0} failed verification ({1}); downloading it again from the start",
                    hub.display(), mismatch);
        }
        if (expected == null) {
            LOG.log(Level.WARNING, "No SHA-256 to verify {0} against: the Hub sent no X-Linked-Etag and the location "
                    + "has no pin. Recorded sha256 {1}; to verify future downloads use {2}#sha256={1}",
                    hub.display(), transfer.sha256(), hub.display());
        }
        cache.store(paths, new CacheEntry(hub.display(), url.toString(), transfer.sha256(), transfer.size(),
                hashSource, remote.commit(), Instant.now()));
        PartFile.forgetSource(paths.part());
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        LOG.log(Level.INFO, "Downloaded {0}: {1} in {2} s ({3}/s), sha256 {4} ({5})", hub.display(),
                HubMessages.size(transfer.size()), String.format(Locale.ROOT, "%.1f", seconds),
                HubMessages.size((long) (transfer.transferred() / seconds)), transfer.sha256(),
                expected == null ? "not verified" : hub.sha256() != null ? "matches the pin"
                        : "matches the Hub's X-Linked-Etag");
        return paths.target();
    }

    private static ProgressListener progress(ProgressListener progress) {
        return progress == null ? ProgressListener.NONE : progress;
    }

    /** How far a download of this file has come: what a process waiting for its lock watches. */
    private static long partLength(CachePaths paths) {
        try {
            return PartFile.existingLength(paths.part());
        } catch (HubFailure unreadable) {
            return -1;
        }
    }

    /** {@code null} when the download is what was expected; otherwise what differs. */
    private static String mismatch(Transfer transfer, String expectedSha256, long expectedSize) {
        String size = expectedSize >= 0 && transfer.size() != expectedSize
                ? "size mismatch: expected " + expectedSize + " bytes got " + transfer.size() : null;
        if (expectedSha256 != null && !expectedSha256.equals(transfer.sha256())) {
            return "checksum mismatch: expected " + expectedSha256 + " got " + transfer.sha256()
                    + (size == null ? "" : " (" + size + ")");
        }
        return size;
    }
}
