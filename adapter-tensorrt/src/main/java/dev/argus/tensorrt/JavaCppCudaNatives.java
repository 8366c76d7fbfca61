package dev.argus.tensorrt;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/** {@link CudaNatives} on the JavaCPP presets. */
final class JavaCppCudaNatives implements CudaNatives {

    @Override
    public void loadCudaRuntime() {
        checkCache();
        Loader.load(cudart.class);
    }

    /**
     * Holds JavaCPP's cache to the jars before the first library is loaded from it ({@link JavaCppCache}); a cache that
     * cannot be checked stops the start.
     */
    static synchronized void checkCache() {
        if (cacheChecked) {
            return;
        }
        try {
            java.nio.file.Path dir = Loader.getCacheDir().toPath();
            long t0 = System.nanoTime();
            JavaCppCache.Report r = JavaCppCache.ofClassPath().verify(dir);
            LOG.log(r.removed().isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "JavaCPP cache {0}: {1} file(s) compared with their jars in {2} ms{3}", dir, r.filesChecked(),
                    (System.nanoTime() - t0) / 1_000_000, r.removed().isEmpty() ? "" : "; removed " + String.join("; ", r.removed()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new IllegalStateException("JavaCPP's library cache cannot be checked: " + e.getMessage(), e);
        }
        cacheChecked = true;
    }

    private static final System.Logger LOG = System.getLogger(JavaCppCudaNatives.class.getName());
    private static boolean cacheChecked;

    @Override
    public void loadTensorRt() {
        Loader.load(nvinfer.class);
        Loader.load(nvonnxparser.class);
    }

    @Override
    public int deviceCountOrError() {
        int[] count = new int[1];
        int rc = cudart.cudaGetDeviceCount(count);
        return rc == cudart.cudaSuccess ? count[0] : -rc;
    }

    @Override
    public String describeError(int cudaError) {
        return cudart.cudaGetErrorName(cudaError).getString() + ": " + cudart.cudaGetErrorString(cudaError).getString();
    }

    @Override
    public DeviceInfo device(int id) {
        try (cudaDeviceProp prop = new cudaDeviceProp()) {
            int rc = cudart.cudaGetDeviceProperties(prop, id);
            if (rc != cudart.cudaSuccess) {
                throw new IllegalStateException("cudaGetDeviceProperties(" + id + ") failed: " + describeError(rc));
            }
            int[] driver = new int[1];
            int[] runtime = new int[1];
            cudart.cudaDriverGetVersion(driver);
            cudart.cudaRuntimeGetVersion(runtime);
            int v = nvinfer.getInferLibVersion();
            String trt = v / 10000 + "." + (v / 100) % 100 + "." + v % 100;
            return new DeviceInfo(prop.name().getString().trim(), prop.major(), prop.minor(), driver[0], runtime[0], trt);
        }
    }
}
