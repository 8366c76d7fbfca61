package dev.argus.app.config;

import java.util.List;

/** The backends Argus can be configured with. */
public final class Backends {
    public static final String ONNX = "onnx";
    /** DJL with libtorch: a TorchScript file. */
    public static final String DJL_PYTORCH = "djl-pytorch";
    /** DJL with TensorFlow: a SavedModel directory. */
    public static final String DJL_TENSORFLOW = "djl-tensorflow";
    /** TensorRT on an NVIDIA GPU: an engine built from the ONNX model and cached. */
    public static final String TENSORRT = "tensorrt";
    /** Another Argus over gRPC (a front instance forwarding to a GPU instance). */
    public static final String GRPC = "grpc";
    /** Cloudflare Workers AI itself. */
    public static final String CLOUDFLARE = "cloudflare";

    private Backends() {
    }

    /** Backend names accepted by {@code argus.backend}. */
    public static List<String> names() {
        return List.of(ONNX, DJL_PYTORCH, DJL_TENSORFLOW, TENSORRT, GRPC, CLOUDFLARE);
    }

    /** Backends that answer from elsewhere (another Argus, Cloudflare): no engine here to size or tune. */
    public static boolean isRemote(String backend) {
        return backend.equals(GRPC) || backend.equals(CLOUDFLARE);
    }
}
