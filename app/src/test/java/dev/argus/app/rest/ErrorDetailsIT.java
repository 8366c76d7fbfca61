package dev.argus.app.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.TestConfigs;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finding 7 of the review: a server-side failure's detail (here the forwarding target's host and port) goes to the
 * log; the client gets a code, a fixed message and a reference to find the detail by.
 */
class ErrorDetailsIT {

    @Test
    void aFailingGrpcBackendsAddressReachesTheLogNotTheClient() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free again once closed: nothing listens there
        }
        String target = "127.0.0.1:" + closed;
        Settings settings = TestConfigs.probeSettings()
                .set(Key.BACKEND, "grpc", "test").set(Key.GRPC_BACKEND_TARGET, target, "test")
                .set(Key.GRPC_BACKEND_RETRIES, "0", "test").set(Key.GRPC_BACKEND_DEADLINE_MS, "3000", "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "0", "test");
        try (Servers servers = Servers.start(ArgusConfig.from(settings, Map.of()), ServingConfig.from(settings),
                ModelSource.ProgressListener.NONE)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + servers.rest().orElseThrow().port() + "/client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ProbeCase.all().get(0).bytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isIn(502, 503);
            assertThat(r.body()).doesNotContain(target).doesNotContain(String.valueOf(closed)).contains("Reference ");
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", servers.grpc().orElseThrow().port()).usePlaintext().build();
            try {
                StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS).classify(ClassifyRequest
                                .newBuilder().setEncoded(com.google.protobuf.ByteString.copyFrom(ProbeCase.all().get(0).bytes())).build()));
                assertThat(String.valueOf(e.getStatus().getDescription())).doesNotContain(target).contains("Reference ");
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
