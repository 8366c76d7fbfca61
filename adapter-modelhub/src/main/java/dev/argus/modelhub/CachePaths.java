package dev.argus.modelhub;

import java.nio.file.Path;

/**
 * Where one Hub file lives in the cache, and its companions in the same directory.
 *
 * @param target the verified file, {@code <cache>/<owner>/<repo>/<revision>/<path>}
 * @param part   the download in progress, {@code <target>.part}
 * @param meta   what is known about the target (hash, size, source), {@code <target>.argus-meta}
 * @param lock   held while the target is checked or downloaded, {@code <target>.lock}
 */
record CachePaths(Path target, Path part, Path meta, Path lock) {

    static CachePaths of(Path cacheDir, HubLocation location) {
        Path target = location.cachePath(cacheDir).normalize();
        if (!target.startsWith(cacheDir)) {
            throw new IllegalArgumentException(location + " escapes the cache directory");
        }
        return new CachePaths(target, sibling(target, ".part"), sibling(target, ".argus-meta"),
                sibling(target, ".lock"));
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }
}
