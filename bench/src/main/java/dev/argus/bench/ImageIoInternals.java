package dev.argus.bench;

import static dev.argus.bench.BenchInputs.internal;

import dev.argus.imageio.ImageIoConfig;
import java.lang.invoke.MethodHandle;

/**
 * Handles on adapter-imageio's package-private decoding steps, shared by the decode and resize benchmarks (the adapter
 * exposes only its preprocessor; ArchitectureTest keeps it so).
 */
final class ImageIoInternals {
    static final String PKG = "dev.argus.imageio.";
    /** The decoder as the preprocessor builds it: with reused JPEG destinations ({@link #newDecoder}). */
    static final MethodHandle NEW_DECODER = internal(PKG + "ImageDecoder", "<init>", 2);
    static final MethodHandle NEW_BUFFERS = internal(PKG + "DecodeBuffers", "<init>", 2);
    static final MethodHandle OPEN = internal(PKG + "ImageDecoder", "open");
    static final MethodHandle WIDTH = internal(PKG + "OpenedImage", "width");
    static final MethodHandle HEIGHT = internal(PKG + "OpenedImage", "height");
    static final MethodHandle READ = internal(PKG + "OpenedImage", "read");
    static final MethodHandle CLOSE = internal(PKG + "OpenedImage", "close");
    static final MethodHandle PLAN = internal(PKG + "ResizePlan", "of");
    static final MethodHandle RESAMPLER = internal(PKG + "PillowResampler", "plan");

    /** A decoder with one reused JPEG destination of up to 32 MiB, as the preprocessor gives each decoding thread. */
    static Object newDecoder(ImageIoConfig config) throws Throwable {
        Object buffers = NEW_BUFFERS.invokeExact(1, 32L << 20);
        return NEW_DECODER.invokeExact((Object) config, buffers);
    }

    /** A decoder that decodes into a new array each time: for set-ups that keep the pixels after closing the image. */
    static Object newDecoderWithoutReuse(ImageIoConfig config) throws Throwable {
        return NEW_DECODER.invokeExact((Object) config, (Object) null);
    }

    private ImageIoInternals() {
    }
}
