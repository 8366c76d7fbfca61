package dev.argus.modelhub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Where one Hub file lives in the cache, and where its bookkeeping lives. The files keep their repository paths; the
 * bookkeeping is kept apart, under {@code <cache>/.argus/<owner>/<repo>/<revision>/}, one flat name per file (its
 * path with {@code %} as {@code %25} and {@code /} as {@code %2F}) plus a suffix per kind. No repository path can reach
 * there ({@code .argus} is no valid owner name) and no two files' bookkeeping can share a name, however the files are
 * named ({@code model.onnx.part} is just another file).
 *
 * @param target     the verified file, {@code <cache>/<owner>/<repo>/<revision>/<path>}
 * @param part       the download in progress, {@code <state>/<flat>.part}
 * @param meta       what is known about the target (hash, size, source), {@code <state>/<flat>.meta}
 * @param lock       held while the target is checked or downloaded, {@code <state>/<flat>.lock}
 * @param legacyMeta where the record was kept before, {@code <target>.argus-meta}: read, never written (it may now
 *                   be a repository file of that name)
 */
record CachePaths(Path target, Path part, Path meta, Path lock, Path legacyMeta) {
    static final String STATE_DIR = ".argus";
    /** Longest flat name kept readable; longer ones become {@code %H<sha256 of the path>}, never a flat name. */
    private static final int MAX_FLAT_BYTES = 160;

    static CachePaths of(Path cacheDir, HubLocation location) {
        Path target = location.cachePath(cacheDir).normalize();
        if (!target.startsWith(cacheDir)) {
            throw new IllegalArgumentException(location + " escapes the cache directory");
        }
        Path state = cacheDir.resolve(STATE_DIR).resolve(location.owner()).resolve(location.repo())
                .resolve(location.revision().replace("/", "%2F"));
        String flat = flat(location.path());
        return new CachePaths(target, state.resolve(flat + ".part"), state.resolve(flat + ".meta"),
                state.resolve(flat + ".lock"), target.resolveSibling(target.getFileName() + ".argus-meta"));
    }

    private static String flat(String path) {
        String flat = path.replace("%", "%25").replace("/", "%2F");
        if (flat.getBytes(StandardCharsets.UTF_8).length <= MAX_FLAT_BYTES) {
            return flat;
        }
        return "%H" + HexFormat.of().formatHex(Sha256.newDigest().digest(path.getBytes(StandardCharsets.UTF_8)));
    }
}
