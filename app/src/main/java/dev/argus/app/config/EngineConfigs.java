package dev.argus.app.config;

import dev.argus.djl.DjlConfig;
import dev.argus.onnx.OnnxConfig;
import dev.argus.tensorrt.TensorRtConfig;
import java.nio.file.Path;

/**
 * The engines' configurations from their keys: {@code argus.onnx.*} into {@link OnnxConfig}, {@code argus.djl.*} into
 * {@link DjlConfig}, {@code argus.tensorrt.*} into {@link TensorRtConfig}. The records own their validation (ranges
 * are checked there, once); each key is applied on its own through {@link ConfigReader#checked}, so a value a record
 * refuses is reported naming its key.
 */
final class EngineConfigs {
    private EngineConfigs() {
    }

    /** {@code threadsPerWorker} stands in for {@code argus.onnx.intra-op-threads=0} (CPUs / workers). */
    static OnnxConfig onnx(ConfigReader r, int threadsPerWorker) {
        int intra = r.integer(Key.ONNX_INTRA_OP_THREADS);
        int inter = r.integer(Key.ONNX_INTER_OP_THREADS);
        int cudaDevice = r.integer(Key.ONNX_CUDA_DEVICE);
        OnnxConfig c = OnnxConfig.defaults();
        c = r.checked(Key.ONNX_INTRA_OP_THREADS, c, x -> x.withThreads(intra == 0 ? threadsPerWorker : intra));
        c = r.checked(Key.ONNX_INTER_OP_THREADS, c, x -> x.withInterOpThreads(inter));
        c = r.checked(Key.ONNX_OPTIMIZATION, c,
                x -> x.withOptimization(OnnxConfig.Optimization.parse(r.string(Key.ONNX_OPTIMIZATION))));
        c = r.checked(Key.ONNX_DEVICE, c, x -> x.withDevice(OnnxConfig.Device.parse(r.string(Key.ONNX_DEVICE)), x.cudaDeviceId()));
        return r.checked(Key.ONNX_CUDA_DEVICE, c, x -> x.withDevice(x.device(), cudaDevice));
    }

    /** {@code threadsPerWorker} stands in for {@code argus.djl.intra-op-threads=0}; caches default to {@code <data dir>/djl}. */
    static DjlConfig djl(ConfigReader r, int threadsPerWorker, Path dataDir) {
        int intra = r.integer(Key.DJL_INTRA_OP_THREADS);
        int inter = r.integer(Key.DJL_INTER_OP_THREADS);
        int gpuId = r.integer(Key.DJL_GPU_ID);
        DjlConfig c = DjlConfig.defaults(dataDir.resolve("djl"));
        c = r.checked(Key.DJL_CACHE_DIR, c, x -> r.path(Key.DJL_CACHE_DIR).map(x::withCacheDir).orElse(x));
        c = r.checked(Key.DJL_INTRA_OP_THREADS, c, x -> x.withThreads(intra == 0 ? threadsPerWorker : intra, x.interOpThreads()));
        c = r.checked(Key.DJL_INTER_OP_THREADS, c, x -> x.withThreads(x.intraOpThreads(), inter));
        c = r.checked(Key.DJL_DEVICE, c, x -> x.withDevice(DjlConfig.Device.parse(r.string(Key.DJL_DEVICE)), x.gpuId()));
        c = r.checked(Key.DJL_GPU_ID, c, x -> x.withDevice(x.device(), gpuId));
        return r.checked(Key.DJL_NATIVES_DIR, c, x -> x.withNativesDir(r.path(Key.DJL_NATIVES_DIR).orElse(null)));
    }

    /**
     * Engines cached in {@code <data dir>/tensorrt} unless set. The batch profile is one setting of three keys; a
     * profile out of order is reported on {@code argus.tensorrt.opt-batch}, with all three values.
     */
    static TensorRtConfig tensorRt(ConfigReader r, Path dataDir) {
        int min = r.integer(Key.TENSORRT_MIN_BATCH);
        int opt = r.integer(Key.TENSORRT_OPT_BATCH);
        int max = r.integer(Key.TENSORRT_MAX_BATCH);
        long workspaceMb = r.whole(Key.TENSORRT_WORKSPACE_MB);
        int device = r.integer(Key.TENSORRT_DEVICE);
        TensorRtConfig c = TensorRtConfig.defaults().withCacheDir(dataDir.resolve("tensorrt"));
        c = r.checked(Key.TENSORRT_CACHE_DIR, c, x -> r.path(Key.TENSORRT_CACHE_DIR).map(x::withCacheDir).orElse(x));
        c = r.checked(Key.TENSORRT_PRECISION, c,
                x -> x.withPrecision(TensorRtConfig.Precision.parse(r.string(Key.TENSORRT_PRECISION))));
        c = r.checked(Key.TENSORRT_OPT_BATCH, c, x -> x.withBatchProfile(min, opt, max));
        c = r.checked(Key.TENSORRT_WORKSPACE_MB, c, x -> x.withWorkspace(mebibytes(workspaceMb)));
        return r.checked(Key.TENSORRT_DEVICE, c, x -> x.withDevice(device));
    }

    /** {@code mb} MiB in bytes; past what a long holds, the largest long (which the configuration then refuses). */
    private static long mebibytes(long mb) {
        return Math.abs(mb) > Long.MAX_VALUE >> 20 ? (mb < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : mb << 20;
    }
}
