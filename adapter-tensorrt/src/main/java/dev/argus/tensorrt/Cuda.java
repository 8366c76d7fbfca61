package dev.argus.tensorrt;

import org.bytedeco.cuda.global.cudart;

/** CUDA return codes to exceptions. */
final class Cuda {
    private Cuda() {
    }

    static void check(int rc, String call) {
        if (rc != cudart.cudaSuccess) {
            throw new IllegalStateException(describe(rc, call));
        }
    }

    /** "{@code call} failed: cudaErrorX (text)". */
    static String describe(int rc, String call) {
        return call + " failed: " + cudart.cudaGetErrorName(rc).getString() + " (" + cudart.cudaGetErrorString(rc).getString() + ")";
    }
}
