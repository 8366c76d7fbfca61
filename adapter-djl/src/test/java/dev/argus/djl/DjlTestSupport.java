package dev.argus.djl;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/** Where the tests keep DJL's caches (under target/, never in the home directory), and their engine settings. */
final class DjlTestSupport {
    private DjlTestSupport() {
    }

    static Path cacheDir() {
        String data = System.getProperty("argus.data.dir");
        return (data == null || data.isBlank() ? Paths.get("target", "argus-data") : Paths.get(data)).resolve("djl");
    }

    /** {@code -Dargus.djl.test.libtorch=DIR}: a libtorch 2.7.1 (e.g. CUDA 12.8) instead of the bundled CPU one. */
    static Optional<Path> libtorch() {
        String dir = System.getProperty("argus.djl.test.libtorch");
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Paths.get(dir));
    }

    static DjlConfig pytorch(Path model) {
        DjlConfig c = DjlConfig.defaults(DjlConfig.Engine.PYTORCH, model, cacheDir()).withThreads(2, 1);
        return libtorch().map(c::withNativesDir).orElse(c);
    }

    static DjlConfig tensorflow(Path model) {
        return DjlConfig.defaults(DjlConfig.Engine.TENSORFLOW, model, cacheDir()).withThreads(2, 1);
    }
}
