package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.domain.TraceContext;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trace through two Argus servers, both exporting to a collector stand-in: a caller's traceparent reaches the front
 * Argus (REST or gRPC), whose remote backend (cloudflare, grpc) calls the back Argus running the probe model; every
 * span that arrives names the right parent, from the caller's span down to the back's decode, queue and inference.
 */
class TracingIT {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER + "-01";
    static final ObjectMapper JSON = new ObjectMapper();

    HttpServer collector;
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws Exception {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/v1/traces", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                if ("application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                    posted.add(JSON.readTree(in.readAllBytes()));
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    Settings traced(Settings s) {
        return s.set(Key.TRACING_OTLP_ENDPOINT, "http://127.0.0.1:" + collector.getAddress().getPort(), "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "0", "test");
    }

    static Servers start(Settings s) {
        return Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
    }

    /** Every span the collector received, by its id. */
    Map<String, JsonNode> spans() {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (JsonNode request : posted) {
            assertThat(request.at("/resourceSpans/0/resource/attributes/0/value/stringValue").asText()).isEqualTo("argus");
            for (JsonNode s : request.at("/resourceSpans/0/scopeSpans/0/spans")) {
                out.put(s.path("spanId").asText(), s);
            }
        }
        return out;
    }

    static List<JsonNode> childrenOf(Map<String, JsonNode> spans, String parent) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : spans.values()) {
            if (s.path("parentSpanId").asText().equals(parent)) {
                out.add(s);
            }
        }
        return out;
    }

    static JsonNode only(List<JsonNode> spans, int kind) {
        List<JsonNode> of = spans.stream().filter(s -> s.path("kind").asInt() == kind).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    /** The back's server span and its decode, queue and inference children. */
    static void assertLocalPipeline(Map<String, JsonNode> spans, JsonNode backServer) {
        List<JsonNode> stages = childrenOf(spans, backServer.path("spanId").asText());
        assertThat(stages).extracting(s -> s.path("name").asText()).containsExactlyInAnyOrder("decode", "queue", "inference");
        assertThat(stages).allSatisfy(s -> assertThat(s.path("kind").asInt()).isEqualTo(1));
        assertThat(spans.values()).allSatisfy(s -> assertThat(s.path("traceId").asText()).isEqualTo(TRACE));
    }

    @Test
    void restThroughTheCloudflareBackendToAnotherArgus() throws Exception {
        byte[] image = ProbeCase.all().get(0).bytes();
        TraceContext answered;
        try (Servers back = start(traced(TestConfigs.probeSettings()).set(Key.GRPC_ENABLED, "false", "test"))) {
            String backUrl = "http://127.0.0.1:" + back.rest().orElseThrow().port();
            HttpResponse<String> r;
            try (Servers front = start(traced(Settings.defaults()).set(Key.BACKEND, "cloudflare", "test")
                    .set(Key.CLOUDFLARE_BASE_URL, backUrl, "test").set(Key.CLOUDFLARE_ACCOUNT_ID, "acc", "test")
                    .set(Key.CLOUDFLARE_API_TOKEN, "unused", "test").set(Key.REST_PORT, "0", "test")
                    .set(Key.GRPC_ENABLED, "false", "test"))) {
                r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + front.rest().orElseThrow().port() + "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50"))
                        .timeout(Duration.ofSeconds(30)).header("traceparent", TRACEPARENT)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            answered = TraceContext.parse(r.headers().firstValue("traceparent").orElseThrow(), null);
            assertThat(answered.traceId()).isEqualTo(TRACE);
            assertThat(answered.spanId()).isNotEqualTo(CALLER);
        } // both closed: their spans are out
        Map<String, JsonNode> spans = spans();
        JsonNode frontServer = only(childrenOf(spans, CALLER), 2);
        assertThat(frontServer.path("spanId").asText()).isEqualTo(answered.spanId());
        assertThat(frontServer.path("name").asText()).isEqualTo("POST /client/v4/accounts/{account_id}/ai/run/{model}");
        JsonNode client = only(childrenOf(spans, frontServer.path("spanId").asText()), 3);
        JsonNode backServer = only(childrenOf(spans, client.path("spanId").asText()), 2);
        assertThat(backServer.path("name").asText()).isEqualTo("POST /client/v4/accounts/{account_id}/ai/run/{model}");
        assertLocalPipeline(spans, backServer);
        assertThat(spans).hasSize(6);
    }

    @Test
    void grpcThroughTheGrpcBackendToAnotherArgus() throws Exception {
        byte[] image = ProbeCase.all().get(0).bytes();
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        try (Servers back = start(traced(TestConfigs.probeSettings()).set(Key.REST_ENABLED, "false", "test"))) {
            try (Servers front = start(traced(Settings.defaults()).set(Key.BACKEND, "grpc", "test")
                    .set(Key.GRPC_BACKEND_TARGET, "127.0.0.1:" + back.grpc().orElseThrow().port(), "test")
                    .set(Key.GRPC_PORT, "0", "test").set(Key.REST_ENABLED, "false", "test"))) {
                ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", front.grpc().orElseThrow().port())
                        .usePlaintext().build();
                try {
                    Metadata md = new Metadata();
                    md.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), TRACEPARENT);
                    ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md),
                                    MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                            .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(image)).build());
                } finally {
                    ch.shutdownNow();
                    ch.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
        TraceContext answered = TraceContext.parse(headers.get().get(Metadata.Key.of("traceparent",
                Metadata.ASCII_STRING_MARSHALLER)), null);
        assertThat(answered.traceId()).isEqualTo(TRACE);
        Map<String, JsonNode> spans = spans();
        JsonNode frontServer = only(childrenOf(spans, CALLER), 2);
        assertThat(frontServer.path("spanId").asText()).isEqualTo(answered.spanId());
        assertThat(frontServer.path("name").asText()).isEqualTo("argus.v1.Classifier/Classify");
        JsonNode client = only(childrenOf(spans, answered.spanId()), 3);
        assertThat(client.path("name").asText()).isEqualTo("argus.v1.Classifier/ClassifyBatch");
        JsonNode backServer = only(childrenOf(spans, client.path("spanId").asText()), 2);
        assertThat(backServer.path("name").asText()).isEqualTo("argus.v1.Classifier/ClassifyBatch");
        assertLocalPipeline(spans, backServer);
    }

    @Test
    void withoutAnEndpointNothingIsExportedAndAnUntracedRequestIsNotTraced() throws Exception {
        try (Servers plain = start(TestConfigs.probeSettings().set(Key.GRPC_ENABLED, "false", "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "0", "test"))) {
            String url = "http://127.0.0.1:" + plain.rest().orElseThrow().port() + "/v1/classify";
            HttpResponse<String> untraced = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProbeCase.all().get(0).bytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(untraced.statusCode()).isEqualTo(200);
            assertThat(untraced.headers().firstValue("traceparent")).isEmpty();
            HttpResponse<String> traced = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("traceparent", TRACEPARENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProbeCase.all().get(0).bytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(TraceContext.parse(traced.headers().firstValue("traceparent").orElseThrow(), null).traceId())
                    .isEqualTo(TRACE);
        }
        assertThat(posted).isEmpty();
    }
}
