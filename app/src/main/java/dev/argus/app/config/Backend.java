package dev.argus.app.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The backends Argus can be configured with ({@code argus.backend}), by the name the configuration gives each. */
public enum Backend {
    /** ONNX Runtime: an {@code .onnx} file. */
    ONNX("onnx"),
    /** DJL with libtorch: a TorchScript file. */
    DJL_PYTORCH("djl-pytorch"),
    /** DJL with TensorFlow: a SavedModel directory. */
    DJL_TENSORFLOW("djl-tensorflow"),
    /** TensorRT on an NVIDIA GPU: an engine built from the ONNX model and cached. */
    TENSORRT("tensorrt"),
    /** Another Argus over gRPC (a front instance forwarding to a GPU instance). */
    GRPC("grpc"),
    /** Cloudflare Workers AI itself. */
    CLOUDFLARE("cloudflare");

    private final String id;

    Backend(String id) {
        this.id = id;
    }

    /** The name {@code argus.backend} takes, results report and tuned settings are filed under. */
    public String id() {
        return id;
    }

    /** Whether it answers from elsewhere (another Argus, Cloudflare): no engine here to size or tune, no model file. */
    public boolean remote() {
        return this == GRPC || this == CLOUDFLARE;
    }

    /** Whether it is one of DJL's engines (their threads are {@code argus.djl.*}, not {@code argus.onnx.*}). */
    public boolean djl() {
        return this == DJL_PYTORCH || this == DJL_TENSORFLOW;
    }

    /** The backend {@code id} names, exactly as {@link #id()} gives it. */
    public static Optional<Backend> byId(String id) {
        return Arrays.stream(values()).filter(b -> b.id.equals(id)).findFirst();
    }

    /** Backend names accepted by {@code argus.backend}. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Backend::id).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
