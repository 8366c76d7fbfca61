package dev.argus.app.config;

import java.util.List;

/** The backends Argus can be configured with. */
public final class Backends {
    public static final String ONNX = "onnx";
    /** Another Argus over gRPC (a front instance forwarding to a GPU instance). */
    public static final String GRPC = "grpc";
    /** Cloudflare Workers AI itself. */
    public static final String CLOUDFLARE = "cloudflare";

    private Backends() {
    }

    /** Backend names accepted by {@code argus.backend}. */
    public static List<String> names() {
        return List.of(ONNX, GRPC, CLOUDFLARE);
    }
}
