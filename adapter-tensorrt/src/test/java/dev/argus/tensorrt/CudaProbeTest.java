package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The mapping of native failures to causes, with fake natives (no GPU needed). */
class CudaProbeTest {

    /** Fake natives: each step fails with the given error, or succeeds. */
    private record Fake(Throwable cudaLoad, Throwable trtLoad, int count) implements CudaNatives {
        @Override
        public void loadCudaRuntime() {
            throwIf(cudaLoad);
        }

        @Override
        public void loadTensorRt() {
            throwIf(trtLoad);
        }

        @Override
        public int deviceCountOrError() {
            return count;
        }

        @Override
        public String describeError(int cudaError) {
            return "cudaError" + cudaError;
        }

        @Override
        public DeviceInfo device(int id) {
            return EngineCacheKeyTest.H100;
        }

        private static void throwIf(Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    private static CudaProbe.Unavailable unavailable(CudaNatives natives, int device) {
        return (CudaProbe.Unavailable) CudaProbe.probe(natives, device);
    }

    @Test
    void missingLibcudaMeansNoDriver() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("no jnicudart in java.library.path");
        e.initCause(new UnsatisfiedLinkError("/x/libjnicudart.so: libcuda.so.1: cannot open shared object file"));
        CudaProbe.Unavailable u = unavailable(new Fake(e, null, 1), 0);
        assertThat(u.reason()).isEqualTo("no NVIDIA driver (libcuda.so.1 not found)");
        assertThat(u.message()).startsWith("TensorRT backend unavailable: no NVIDIA driver (libcuda.so.1 not found)")
                .contains("argus.backend=onnx");
        assertThat(u.cause()).isSameAs(e);
    }

    @Test
    void missingCudaRuntimeOrTensorRtLibraryMeansLibraryMissing() {
        UnsatisfiedLinkError cudart = new UnsatisfiedLinkError("libjnicudart.so: libcudart.so.13: cannot open shared object file");
        assertThat(unavailable(new Fake(cudart, null, 1), 0).reason())
                .isEqualTo("TensorRT library missing (build with -Pgpu or install TensorRT 11)");
        UnsatisfiedLinkError nvinfer = new UnsatisfiedLinkError("libjninvinfer.so: libnvinfer.so.11: cannot open shared object file");
        CudaProbe.Unavailable u = unavailable(new Fake(null, nvinfer, 1), 0);
        assertThat(u.reason()).isEqualTo("TensorRT library missing (build with -Pgpu or install TensorRT 11)");
        assertThat(u.detail()).contains("libnvinfer.so.11");
    }

    @Test
    void bindingsAbsentFromTheClassPathMeansLibraryMissing() {
        NoClassDefFoundError e = new NoClassDefFoundError("org/bytedeco/cuda/global/cudart");
        CudaProbe.Unavailable u = unavailable(new Fake(e, null, 1), 0);
        assertThat(u.reason()).startsWith("TensorRT library missing");
        assertThat(u.detail()).contains("class path");
    }

    @Test
    void cudaErrorNoDeviceMeansNoCudaDevice() {
        CudaProbe.Unavailable u = unavailable(new Fake(null, null, -100), 0);
        assertThat(u.reason()).isEqualTo("no CUDA device");
        assertThat(u.detail()).isEqualTo("cudaError100");
        assertThat(unavailable(new Fake(null, null, 0), 0).reason()).isEqualTo("no CUDA device");
    }

    @Test
    void deviceIdBeyondTheCountIsNamed() {
        CudaProbe.Unavailable u = unavailable(new Fake(null, null, 2), 3);
        assertThat(u.reason()).isEqualTo("no CUDA device with id 3");
        assertThat(u.detail()).contains("ids 0..1");
    }

    @Test
    void allPresentIsAvailable() {
        assertThat(CudaProbe.probe(new Fake(null, null, 1), 0)).isEqualTo(new CudaProbe.Available(EngineCacheKeyTest.H100));
    }
}
