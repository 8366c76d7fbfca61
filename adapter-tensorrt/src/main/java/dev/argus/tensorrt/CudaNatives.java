package dev.argus.tensorrt;

/**
 * The few native calls the availability probe makes, behind an interface so that the mapping of their failures to
 * messages is tested without a GPU. Implementations may throw {@link LinkageError} from any method.
 */
interface CudaNatives {

    /** Loads the CUDA runtime bindings (needs libcuda.so.1 from the driver and libcudart). */
    void loadCudaRuntime();

    /** Loads the TensorRT and ONNX parser bindings (needs libnvinfer, libnvonnxparser). */
    void loadTensorRt();

    /** {@code cudaGetDeviceCount}: the count, or the negated CUDA error code when it fails. */
    int deviceCountOrError();

    /** The CUDA error's name and description, e.g. {@code cudaErrorNoDevice: no CUDA-capable device is detected}. */
    String describeError(int cudaError);

    /** Properties of device {@code id}, once {@link #deviceCountOrError()} returned more than {@code id}. */
    DeviceInfo device(int id);
}
