package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A redirect that cannot work fails at once, saying why; only what may pass (5xx, 429, network) is retried. */
class RedirectFailureTest extends HubTestSupport {

    @Test
    void aRedirectWithoutLocationFailsAtOnce() {
        hub.hubRedirect = "";

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("cannot follow").contains("HTTP 302 without a Location header")
                .contains("Retrying will not help").contains("place it at " + target());
        assertThat(hub.requests).as("not retried").hasSize(1);
    }

    @Test
    void aRedirectToAnotherSchemeFailsAtOnce() {
        hub.hubRedirect = "ftp://localhost/model.onnx";

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("refusing redirect from http to 'ftp'");
        assertThat(hub.requests).hasSize(1);
    }

    @Test
    void aRedirectLoopFailsAtOnce() {
        hub.hubRedirect = "http://localhost:" + hub.endpoint().getPort() + FakeHub.CDN_LOOP;

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("redirect loop").contains(FakeHub.CDN_LOOP);
        assertThat(hub.count("GET", FakeHub.MODEL_PATH)).as("not retried").isEqualTo(1);
        assertThat(hub.count("GET", FakeHub.CDN_LOOP)).isEqualTo(1);
    }

    @Test
    void tooManyRedirectsFailAtOnce() {
        hub.hubRedirect = "http://localhost:" + hub.endpoint().getPort() + FakeHub.CDN_HOPS + "1";

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("more than " + HubHttp.MAX_REDIRECTS + " redirects");
        assertThat(hub.count("GET", FakeHub.MODEL_PATH)).as("not retried").isEqualTo(1);
    }

    @Test
    void aDownloadLinkAnsweringForbiddenFailsAtOnce() {
        hub.faults.add(FakeHub.Fault.FORBIDDEN_403);

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("cannot follow").contains("localhost:" + hub.endpoint().getPort()
                + " answered HTTP 403").contains("clock").contains("place it at " + target());
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).as("not retried").isEqualTo(1);
    }

    @Test
    void aDownloadLinkAnsweringNotFoundFailsAtOnce() {
        hub.faults.add(FakeHub.Fault.NOT_FOUND_404);

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("answered HTTP 404");
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
    }

    @Test
    void aTransientErrorOfTheDownloadLinkIsStillRetried() throws Exception {
        hub.faults.add(FakeHub.Fault.TOO_MANY_REQUESTS_RETRY_AFTER_1);
        hub.faults.add(FakeHub.Fault.ERROR_500);

        resolve();

        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(3);
    }
}
