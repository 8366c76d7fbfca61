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
        Loader.load(cudart.class);
    }

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
