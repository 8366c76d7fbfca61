package dev.argus.bench;

import static dev.argus.bench.BenchInputs.internal;

import java.lang.invoke.MethodHandle;

/**
 * Handles on adapter-imageio's package-private decoding steps, shared by the decode and resize benchmarks (the adapter
 * exposes only its preprocessor; ArchitectureTest keeps it so).
 */
final class ImageIoInternals {
    static final String PKG = "dev.argus.imageio.";
    static final MethodHandle NEW_DECODER = internal(PKG + "ImageDecoder", "<init>");
    static final MethodHandle OPEN = internal(PKG + "ImageDecoder", "open");
    static final MethodHandle WIDTH = internal(PKG + "OpenedImage", "width");
    static final MethodHandle HEIGHT = internal(PKG + "OpenedImage", "height");
    static final MethodHandle READ = internal(PKG + "OpenedImage", "read");
    static final MethodHandle CLOSE = internal(PKG + "OpenedImage", "close");
    static final MethodHandle PLAN = internal(PKG + "ResizePlan", "of");
    static final MethodHandle RESAMPLER = internal(PKG + "PillowResampler", "plan");

    private ImageIoInternals() {
    }
}
