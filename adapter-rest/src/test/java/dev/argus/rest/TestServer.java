package dev.argus.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.ports.in.InferTensorUseCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real {@link RestServer} on a free port of 127.0.0.1 with a {@link FakeUseCase}, and a real HTTP client. */
final class TestServer implements AutoCloseable {
    static final String CF_PATH = "/client/v4/accounts/acc123/ai/run/@cf/microsoft/resnet-50";
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeUseCase useCase = new FakeUseCase();
    final AtomicBoolean ready = new AtomicBoolean(true);
    final RestServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer() {
        this(RestConfig.defaults(), (InferTensorUseCase) null);
    }

    TestServer(RestConfig config) {
        this(config, (InferTensorUseCase) null);
    }

    TestServer(RestConfig config, InferTensorUseCase tensors) {
        server = new RestServer(config.withPort(0), useCase, ready::get,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), tensors).start();
    }

    /** With tracing (the one model's Cloudflare id from {@code config}). */
    TestServer(RestConfig config, dev.argus.ports.service.Tracing tracing) {
        RestConfig c = config.withPort(0);
        server = new RestServer(c, dev.argus.ports.in.ModelCatalog.alone(useCase, java.util.Optional.empty(),
                java.util.List.of(c.cloudflareModel()), ready::get), ready::get,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), null, null, java.util.Set.of(), tracing).start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        useCase.release.countDown();
        server.close();
    }
}
