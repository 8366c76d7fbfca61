package dev.argus.app.wiring;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Gives back to the kernel what the engines freed through glibc's malloc. Loading a model allocates and frees far
 * more than the session keeps (the file, its graph, copies made while optimising); glibc keeps the freed pages in its
 * arenas, so a ResNet-50 server on ONNX Runtime held ~470 MB at rest where ~290 MB is in use. One
 * {@code malloc_trim(0)} after the engine is loaded returns them. (The environment variable
 * {@code MALLOC_TRIM_THRESHOLD_} would do it for every free, but it also pins glibc's mmap threshold at 128 KiB, and
 * libtorch, which allocates each activation with malloc, then ran 4.5x slower.)
 */
final class NativeMemory {
    private static final System.Logger LOG = System.getLogger(NativeMemory.class.getName());

    private NativeMemory() {
    }

    private interface C extends Library {
        int malloc_trim(long pad);
    }

    /**
     * Trims every malloc arena. False where that cannot be done (no glibc, no JNA), which is fine: nothing else depends
     * on it; true once the call was made (whether or not there was anything to give back).
     */
    static boolean trim() {
        if (unavailable) {
            return false;
        }
        try {
            if (!Platform.isLinux()) {
                unavailable = true;
                return false;
            }
            C c = Native.load("c", C.class);
            c.malloc_trim(0);
            return true;
        } catch (LinkageError | RuntimeException e) { // no glibc, or JNA's own library cannot load (a noexec /tmp)
            unavailable = true;
            LOG.log(System.Logger.Level.DEBUG, "malloc_trim is not available: {0}", e.toString());
            return false;
        }
    }

    /** Set once trimming failed: JNA's classes stay unusable in this JVM after their library failed to load. */
    private static volatile boolean unavailable;
}
