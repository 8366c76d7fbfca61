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

    /** A TorchScript file, NCHW 224x224, names from the model. */
    static DjlModel pytorch(Path model) {
        return DjlModel.of(DjlModel.Engine.PYTORCH, model);
    }

    /** Two intra-op threads, one inter-op, caches under target/, the libtorch of {@link #libtorch()} if given. */
    static DjlConfig pytorchConfig() {
        DjlConfig c = DjlConfig.defaults(cacheDir()).withThreads(2, 1);
        return libtorch().map(c::withNativesDir).orElse(c);
    }

    /** A SavedModel directory, NCHW 224x224, names from its signature. */
    static DjlModel tensorflow(Path model) {
        return DjlModel.of(DjlModel.Engine.TENSORFLOW, model);
    }

    /** Two intra-op threads, one inter-op, caches under target/, the TensorFlow natives found automatically. */
    static DjlConfig tensorflowConfig() {
        return DjlConfig.defaults(cacheDir()).withThreads(2, 1);
    }
}
