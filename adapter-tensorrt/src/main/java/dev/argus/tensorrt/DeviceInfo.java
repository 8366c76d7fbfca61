package dev.argus.tensorrt;

/**
 * What the engine cache key and the logs need to know about the GPU and the libraries.
 *
 * @param name            the GPU's name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param ccMajor         compute capability, major
 * @param ccMinor         compute capability, minor
 * @param driverVersion   CUDA version the driver supports, as CUDA encodes it (13020 = 13.2)
 * @param runtimeVersion  CUDA runtime version, same encoding
 * @param tensorRtVersion TensorRT library version, e.g. {@code 11.2.0}
 */
record DeviceInfo(String name, int ccMajor, int ccMinor, int driverVersion, int runtimeVersion, String tensorRtVersion) {

    public String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    @Override
    public String toString() {
        return name + " (sm " + computeCapability() + ", driver CUDA " + cudaVersion(driverVersion) + ", runtime CUDA "
                + cudaVersion(runtimeVersion) + ", TensorRT " + tensorRtVersion + ")";
    }

    static String cudaVersion(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
