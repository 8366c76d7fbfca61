package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class HubFailureTest extends HubTestSupport {

    @Test
    void missingFileSaysToCheckTheLocation() {
        hub.status = 404;
        hub.errorCode = "EntryNotFound";

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("no such file").contains("HTTP 404 EntryNotFound")
                .contains(hub.endpoint() + FakeHub.MODEL_PATH).contains("Check the location");
        assertThat(hub.requests).as("no retries, no GET").hasSize(1);
    }

    @Test
    void unauthorizedWithoutTokenSaysToSetHfToken() {
        hub.status = 401;
        hub.errorCode = "GatedRepo";

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 401 GatedRepo")
                .contains("The repository needs a token: set HF_TOKEN")
                .contains(hub.endpoint() + "/Xenova/resnet-50");
        assertThat(hub.requests).hasSize(1);
    }

    @Test
    void rejectedTokenIsNeverShown() {
        hub.status = 403;
        HubConfig config = config().withToken("hf_TopSecret123");

        var e = thrown(() -> resolve(config, FakeHub.LOCATION));

        assertThat(e.getMessage()).contains("HTTP 403").contains("token was not accepted")
                .doesNotContain("hf_TopSecret123");
        assertThat(config.toString()).doesNotContain("hf_TopSecret123").contains("token=<redacted>");
        assertThat(hub.requests.get(0).authorization()).isEqualTo("Bearer hf_TopSecret123");
    }

    @Test
    void unreachableEndpointSaysWhatToDownloadAndWhere() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HubConfig config = config().withEndpoint(URI.create("http://127.0.0.1:" + closedPort));

        var e = thrown(() -> resolve(config, FakeHub.LOCATION));

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage())
                .startsWith("Cannot download " + FakeHub.LOCATION + ": 127.0.0.1:" + closedPort + " is unreachable (")
                .contains("after 4 attempts")
                .contains("Download http://127.0.0.1:" + closedPort + FakeHub.MODEL_PATH + " yourself")
                .contains("place it at " + target())
                .contains("or set argus.model=/path/to/model.onnx");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void corruptedDownloadIsFetchedOnceMoreThenRejected() throws Exception {
        byte[] corrupted = hub.content.clone();
        corrupted[SIZE / 3] ^= 0x55;
        hub.served = corrupted;

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("checksum mismatch: expected " + hub.sha256 + " got "
                + FakeHub.sha256(corrupted)).contains("X-Linked-Etag");
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
        assertThat(target()).doesNotExist();
        assertThat(part()).doesNotExist();
    }

    @Test
    void pinnedHashThatDoesNotMatchTheDownloadFails() throws Exception {
        hub.publishHash = false;
        String wrongPin = "0".repeat(64);

        var e = thrown(() -> resolve(config(), FakeHub.LOCATION + "#sha256=" + wrongPin));

        assertThat(e.getMessage()).contains("checksum mismatch: expected " + wrongPin + " got " + hub.sha256)
                .contains("#sha256 pin");
        assertThat(target()).doesNotExist();
        assertThat(part()).doesNotExist();
    }

    @Test
    void pinnedHashThatDisagreesWithTheHubFailsBeforeDownloading() {
        String wrongPin = "ab".repeat(32);

        var e = thrown(() -> resolve(config(), FakeHub.LOCATION + "#sha256=" + wrongPin));

        assertThat(e.getMessage()).contains("checksum mismatch: the location pins sha256 " + wrongPin)
                .contains("publishes " + hub.sha256).contains(FakeHub.COMMIT);
        assertThat(hub.gets()).isEmpty();
    }

    @Test
    void correctPinIsAccepted() throws Exception {
        hub.publishHash = false;

        resolve(config(), FakeHub.LOCATION + "#sha256=" + hub.sha256.toUpperCase());

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(Files.readString(meta())).contains("hashSource=pin");
    }

    @Test
    void malformedLocationIsAConfigurationError() {
        var e = thrown(() -> resolve(config(), "hf://Xenova/resnet-50"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
        assertThat(e.getMessage()).contains("hf://OWNER/REPO/PATH/IN/REPO[@REVISION][#sha256=HEX]");
        assertThat(hub.requests).isEmpty();
    }
}
