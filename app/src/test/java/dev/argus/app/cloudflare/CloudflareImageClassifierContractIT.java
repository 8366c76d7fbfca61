package dev.argus.app.cloudflare;

import dev.argus.cloudflare.CloudflareImageClassifier;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.testkit.ImageClassifierContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The {@code cloudflare} backend passes the shared contract: CloudflareImageClassifier -> Argus's real REST server
 * (Cloudflare-compatible route) -> the real ONNX Runtime engine on the probe model.
 *
 * <p>Cloudflare's API returns a fixed top 5, so the contract checks top_k against that ({@link #returnsAllClasses()}).
 */
class CloudflareImageClassifierContractIT extends ImageClassifierContractTest {
    private ArgusCloudflareRoute backend;

    @Override
    protected ImageClassifier newProbeClassifier() {
        if (backend == null) {
            backend = ArgusCloudflareRoute.probe();
        }
        return new CloudflareImageClassifier(backend.clientConfig(ArgusCloudflareRoute.TOKEN));
    }

    @Override
    protected String expectedBackend() {
        return "cloudflare";
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Workers AI (and Argus's route, which copies it) returns its top 5 and has no top_k option. */
    @Override
    protected boolean returnsAllClasses() {
        return false;
    }
}
