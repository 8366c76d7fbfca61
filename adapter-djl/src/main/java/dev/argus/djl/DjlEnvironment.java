package dev.argus.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The process-wide DJL environment: where DJL and JavaCPP keep their caches, offline mode, and the engines, each
 * started once. DJL reads these settings from system properties when an engine starts, so the first engine opened
 * decides them for the whole process; a later engine asking for different ones gets a warning.
 */
final class DjlEnvironment {
    private static final System.Logger LOG = System.getLogger(DjlEnvironment.class.getName());
    private static final Map<DjlModel.Engine, Engine> ENGINES = new HashMap<>();
    private static Path cacheDir;
    private static Path tensorflowNatives;

    private DjlEnvironment() {
    }

    /**
     * The started engine {@code kind}, set up by {@code config}, starting it (and configuring the process) on first use. For TensorFlow
     * the {@code guard} is asked first, every time: on a CPU where TensorFlow's oneDNN answers wrong and the
     * environment does not turn it off, no TensorFlow model is opened, started engine or not.
     */
    static synchronized Engine engine(DjlModel.Engine kind, DjlConfig config,
                                      java.util.function.Supplier<TensorflowCpuGuard> guardFor) {
        TensorflowCpuGuard guard = kind == DjlModel.Engine.TENSORFLOW ? guardFor.get() : null;
        if (guard != null) {
            guard.check();
        }
        configureCaches(config.cacheDir());
        Path libtorch = kind == DjlModel.Engine.PYTORCH ? config.nativesDir().map(DjlEnvironment::libtorch).orElse(null) : null;
        Engine started = ENGINES.get(kind);
        if (started != null) {
            checkThreads(kind, config);
            return started;
        }
        long t0 = System.nanoTime();
        String natives;
        if (kind == DjlModel.Engine.PYTORCH) {
            setThreadProperties(config);
            if (libtorch != null) {
                System.setProperty("PYTORCH_LIBRARY_PATH", libtorch.toString());
                System.setProperty("PYTORCH_VERSION", LIBTORCH_VERSION);
                System.setProperty("PYTORCH_FLAVOR", config.device() == DjlConfig.Device.GPU ? "cu128" : "cpu");
            }
            checkNativeCache();
            Engine e = start(kind, config);
            natives = "libtorch " + ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
            ENGINES.put(kind, e);
        } else {
            Path dir = TensorflowNatives.locate(config.nativesDir());
            System.setProperty("TENSORFLOW_LIBRARY_PATH", dir.toString());
            tensorflowNatives = dir;
            ENGINES.put(kind, start(kind, config));
            natives = "TensorFlow natives " + dir + ", " + guard.oneDnnMode() + " on " + guard.cpu().summary();
        }
        Engine e = ENGINES.get(kind);
        LOG.log(System.Logger.Level.INFO, "DJL {0} engine {1} started in {2} ms: {3}, {4} GPU(s) visible, caches in {5}",
                e.getEngineName(), e.getVersion(), (System.nanoTime() - t0) / 1_000_000, natives, e.getGpuCount(), cacheDir);
        return e;
    }

    /** The version of libtorch DJL 0.36's JNI (pytorch-jni 2.7.1-0.36.0) is built for. */
    static final String LIBTORCH_VERSION = "2.7.1";

    /**
     * A libtorch directory instead of the bundled CPU one: how the CUDA build is used (Maven Central carries no CUDA
     * libtorch for DJL 0.36; pytorch-jni carries the cu128 JNI for it). Accepts the directory holding libtorch.so or
     * an unpacked libtorch zip (its lib/).
     */
    private static Path libtorch(Path dir) {
        Path lib = Files.isRegularFile(dir.resolve("libtorch.so")) ? dir : dir.resolve("lib");
        if (!Files.isRegularFile(lib.resolve("libtorch.so"))) {
            throw ArgusException.modelUnavailable("argus.djl.natives-dir=" + dir + " holds no libtorch.so (looked in " + dir
                    + " and " + dir.resolve("lib") + "). Point it at libtorch " + LIBTORCH_VERSION + " (for a GPU: the CUDA 12.8 "
                    + "build, libtorch-cxx11-abi-shared-with-deps-" + LIBTORCH_VERSION + "+cu128.zip from pytorch.org, or "
                    + "torch/lib of a pip install of torch==" + LIBTORCH_VERSION + "+cu128), or leave it empty for the "
                    + "bundled CPU libtorch.", null);
        }
        return lib.toAbsolutePath().normalize();
    }

    /** Holds what DJL unpacked earlier to the recorded hashes before DJL loads it ({@link PyTorchNativeCache}). */
    private static void checkNativeCache() {
        Path dir = ai.djl.util.Utils.getEngineCacheDir("pytorch");
        long t0 = System.nanoTime();
        try {
            PyTorchNativeCache.Report r = PyTorchNativeCache.pinned().verify(dir);
            LOG.log(r.clean() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "DJL native cache {0}: {1} file(s) checked against the recorded SHA-256 in {2} ms{3}", dir, r.filesChecked(),
                    (System.nanoTime() - t0) / 1_000_000, r.clean() ? "" : "; removed " + String.join("; ", r.removed()));
        } catch (java.io.UncheckedIOException e) {
            throw ArgusException.modelUnavailable("The PyTorch engine was not started: " + e.getMessage(), e);
        }
    }

    private static Engine start(DjlModel.Engine kind, DjlConfig config) {
        String name = kind.djlName();
        try {
            return Engine.getEngine(name);
        } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError | IllegalStateException e) {
            String hint = kind == DjlModel.Engine.PYTORCH
                    ? (config.nativesDir().isPresent()
                        ? "argus.djl.natives-dir=" + config.nativesDir().get() + " must hold libtorch " + LIBTORCH_VERSION
                          + (config.device() == DjlConfig.Device.GPU ? " built for CUDA 12.8, and the machine an NVIDIA "
                          + "driver for it" : "") + "."
                        : "The bundled natives come from ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 and "
                          + "ai.djl.pytorch:pytorch-jni on the class path (a -Pgpu build leaves the CPU libtorch out: set "
                          + "argus.djl.natives-dir); they need glibc >= 2.28 and libstdc++, and a writable cache dir ("
                          + cacheDir + ").")
                    : "The TensorFlow natives (TF 2.16.1) in " + tensorflowNatives + " need glibc >= 2.28 and libstdc++; "
                      + "check that the directory holds libjnitensorflow.so, libtensorflow_cc.so.2 and "
                      + "libtensorflow_framework.so.2 from the same release.";
            throw ArgusException.modelUnavailable("Cannot start DJL's " + name + " engine: " + rootMessage(e) + ". " + hint, e);
        }
    }

    /** DJL_CACHE_DIR, ENGINE_CACHE_DIR and JavaCPP's cache under Argus's data dir, unless the user set them. */
    private static void configureCaches(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (cacheDir != null) {
            if (!cacheDir.equals(abs)) {
                LOG.log(System.Logger.Level.WARNING, "DJL cache dir is already {0} for this process; ignoring {1}", cacheDir, abs);
            }
            return;
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Cannot create the DJL cache dir " + abs + ": " + e.getMessage()
                    + ". Set argus.djl.cache-dir (or argus.data-dir) to a writable directory.", e);
        }
        if (!Files.isWritable(abs)) {
            throw ArgusException.modelUnavailable("The DJL cache dir " + abs + " is not writable. Set argus.djl.cache-dir "
                    + "(or argus.data-dir) to a writable directory.", null);
        }
        setUnlessSet("DJL_CACHE_DIR", abs.toString());
        setUnlessSet("ENGINE_CACHE_DIR", abs.resolve("engines").toString());
        setUnlessSet("org.bytedeco.javacpp.cachedir", abs.resolve("javacpp").toString());
        setUnlessSet("ai.djl.offline", "true");          // never download engines or models at run time
        setUnlessSet("OPT_OUT_TRACKING", "true");        // no usage reporting
        cacheDir = abs;
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void setThreadProperties(DjlConfig config) {
        if (config.intraOpThreads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.intraOpThreads()));
        }
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(config.interOpThreads()));
    }

    /** PyTorch's intra-op thread count can change after start; its inter-op count cannot. */
    private static void checkThreads(DjlModel.Engine kind, DjlConfig config) {
        if (kind != DjlModel.Engine.PYTORCH) {
            return; // TensorFlow: per session (ConfigProto)
        }
        if (config.intraOpThreads() > 0 && ai.djl.pytorch.jni.JniUtils.getNumThreads() != config.intraOpThreads()) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(config.intraOpThreads());
        }
        int inter = ai.djl.pytorch.jni.JniUtils.getNumInteropThreads();
        if (inter != config.interOpThreads()) {
            LOG.log(System.Logger.Level.WARNING, "PyTorch inter-op threads are {0} for this process (set by the first "
                    + "engine); {1} asked for is ignored", inter, config.interOpThreads());
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + c.getClass().getSimpleName() + ": " + c.getMessage() + ")";
        return m;
    }
}
