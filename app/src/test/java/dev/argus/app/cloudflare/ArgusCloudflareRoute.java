package dev.argus.app.cloudflare;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.wiring.Argus;
import dev.argus.cloudflare.CloudflareConfig;
import dev.argus.ports.out.ModelSource;
import dev.argus.rest.RestConfig;
import dev.argus.rest.RestServer;
import java.net.URI;
import java.time.Duration;

/**
 * Argus's own Cloudflare-compatible route as the "remote": the real ONNX engine on the probe model, wired as the CLI
 * wires it, served by a real REST server on 127.0.0.1 and a free port (as app/rest/ProbeRestServer does).
 */
final class ArgusCloudflareRoute implements AutoCloseable {
    static final String ACCOUNT = "any-account";
    static final String TOKEN = "local-test-token";

    final Argus argus;
    final RestServer server;

    private ArgusCloudflareRoute(RestConfig rest) {
        argus = Argus.start(config(), ModelSource.ProgressListener.NONE);
        server = new RestServer(rest.withHost("127.0.0.1").withPort(0), argus.useCase(), () -> true).start();
    }

    static ArgusCloudflareRoute probe() {
        return new ArgusCloudflareRoute(RestConfig.defaults());
    }

    static ArgusCloudflareRoute probe(RestConfig rest) {
        return new ArgusCloudflareRoute(rest);
    }

    static ArgusConfig config() {
        return dev.argus.app.TestConfigs.probe();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The cloudflare backend's configuration pointed at this server, with short backoff for tests. */
    CloudflareConfig clientConfig(String token) {
        return CloudflareConfig.of(ACCOUNT, token).withBaseUrl(baseUrl())
                .withRetries(3, Duration.ofMillis(5), Duration.ofMillis(50));
    }

    @Override
    public void close() {
        server.close();
        argus.close();
    }
}
