package dev.argus.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import dev.argus.domain.ArgusException;
import java.util.EnumSet;

/**
 * The one process-wide ONNX Runtime environment. Created on first use; lives as long as the process (ONNX Runtime
 * ties its thread pools and allocators to it).
 */
final class OnnxRuntimeEnvironment {
    private static volatile OrtEnvironment env;

    private OnnxRuntimeEnvironment() {
    }

    static OrtEnvironment get() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (OnnxRuntimeEnvironment.class) {
                e = env;
                if (e == null) {
                    e = create();
                    env = e;
                }
            }
        }
        return e;
    }

    private static OrtEnvironment create() {
        if (!"1".equals(System.getenv("ORT_DISABLE_TELEMETRY"))) {
            System.getLogger(OnnxRuntimeEnvironment.class.getName()).log(System.Logger.Level.WARNING,
                    "ORT_DISABLE_TELEMETRY=1 is not set: ONNX Runtime may crash on hosts without /etc/machine-id "
                            + "(slim containers). The ./argus launcher sets it.");
        }
        try {
            OrtEnvironment e = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "argus");
            e.setTelemetry(false);
            return e;
        } catch (OrtException | UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw ArgusException.modelUnavailable("Cannot start ONNX Runtime: " + e.getMessage()
                    + " (the native library needs glibc >= 2.28, libstdc++ and libgcc_s, and a writable java.io.tmpdir)", e);
        }
    }

    static EnumSet<OrtProvider> providers() {
        get();
        return OrtEnvironment.getAvailableProviders();
    }
}
