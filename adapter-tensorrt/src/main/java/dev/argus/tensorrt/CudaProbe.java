package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;

/**
 * Finds out, in well under a second and without risking the JVM, whether TensorRT can run here: the natives load
 * (driver, CUDA runtime, TensorRT), a CUDA device exists. Every failure becomes a value naming its cause; the
 * engine turns it into {@code MODEL_UNAVAILABLE}.
 *
 * <p>The result for the real natives is computed once per process: after a failed load the JVM only answers
 * "Could not initialize class", which no longer names the cause.
 */
final class CudaProbe {
    static final String NO_DRIVER = "no NVIDIA driver (libcuda.so.1 not found)";
    static final String NO_DEVICE = "no CUDA device";
    static final String UNTRUSTED_CACHE = "JavaCPP's library cache could not be checked against its jars";
    static final String LIBRARY_MISSING = "TensorRT library missing (build with -Pgpu or install TensorRT 11)";
    static final String ADVICE = " The TensorRT backend needs an NVIDIA GPU, its driver (R580 or newer, for CUDA 13) and the "
            + "TensorRT 11.2 / CUDA 13.3 libraries (the -Pgpu build bundles them). Choose another backend, e.g. argus.backend=onnx.";

    private static volatile Availability cached;

    private CudaProbe() {
    }

    /** Whether TensorRT can run on device {@code deviceId}: the device, or why not. */
    public sealed interface Availability permits Available, Unavailable {
    }

    public record Available(DeviceInfo device) implements Availability {
    }

    /** {@code reason} is one short phrase ("no CUDA device"); {@code detail} what the library said. */
    public record Unavailable(String reason, String detail, Throwable cause) implements Availability {
        public String message() {
            return "TensorRT backend unavailable: " + reason + (detail.isEmpty() ? "" : " [" + detail + "]") + "." + ADVICE;
        }
    }

    /** Probes the real natives for device {@code deviceId} (the load is attempted once per process). */
    public static Availability availability(int deviceId) {
        Availability a = cached;
        if (a == null) {
            synchronized (CudaProbe.class) {
                a = cached;
                if (a == null) {
                    a = probe(new JavaCppCudaNatives(), 0);
                    cached = a;
                }
            }
        }
        return a instanceof Available && deviceId != 0 ? probe(new JavaCppCudaNatives(), deviceId) : a;
    }

    /** The device, or {@code MODEL_UNAVAILABLE} naming the cause. */
    public static DeviceInfo require(int deviceId) {
        Availability a = availability(deviceId);
        if (a instanceof Unavailable u) {
            throw ArgusException.modelUnavailable(u.message(), u.cause());
        }
        return ((Available) a).device();
    }

    static Availability probe(CudaNatives natives, int deviceId) {
        try {
            natives.loadCudaRuntime();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return loadFailure(e);
        } catch (IllegalStateException e) {
            return new Unavailable(UNTRUSTED_CACHE, e.getMessage(), e);
        }
        int count = natives.deviceCountOrError();
        if (count <= 0) {
            return new Unavailable(NO_DEVICE, count == 0 ? "cudaGetDeviceCount found 0 devices" : natives.describeError(-count), null);
        }
        if (deviceId >= count) {
            return new Unavailable(NO_DEVICE + " with id " + deviceId, "there are " + count + " (ids 0.." + (count - 1) + ")", null);
        }
        try {
            natives.loadTensorRt();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return new Unavailable(LIBRARY_MISSING, rootMessage(e), e);
        }
        try {
            return new Available(natives.device(deviceId));
        } catch (RuntimeException | LinkageError e) {
            return new Unavailable(NO_DEVICE + " usable with id " + deviceId, rootMessage(e), e);
        }
    }

    private static Unavailable loadFailure(Throwable e) {
        String all = allMessages(e);
        if (all.contains("libcuda.so")) {
            return new Unavailable(NO_DRIVER, rootMessage(e), e);
        }
        if (e instanceof NoClassDefFoundError && all.contains("org/bytedeco") && !all.contains("Could not initialize")) {
            return new Unavailable(LIBRARY_MISSING, "the JavaCPP bindings are not on the class path: " + rootMessage(e), e);
        }
        return new Unavailable(LIBRARY_MISSING, rootMessage(e), e);
    }

    private static String allMessages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                b.append(s).append('\n');
            }
        }
        return b.toString();
    }

    /** The innermost message, which names the missing library. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
