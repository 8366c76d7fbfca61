package dev.argus.app.grpc;

import dev.argus.grpc.GrpcClientConfig;
import dev.argus.grpc.GrpcImageClassifier;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.testkit.ImageClassifierContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The {@code grpc} backend passes the shared contract: GrpcImageClassifier -> real GrpcServer over Netty -> the real
 * ONNX Runtime engine on the probe model.
 */
class GrpcImageClassifierContractIT extends ImageClassifierContractTest {
    private ProbeServer backend;

    @Override
    protected ImageClassifier newProbeClassifier() {
        if (backend == null) {
            backend = ProbeServer.probe();
        }
        return new GrpcImageClassifier(GrpcClientConfig.of(backend.target()));
    }

    @Override
    protected String expectedBackend() {
        return "grpc";
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }
}
