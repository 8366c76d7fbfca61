package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A captive portal or a proxy's sign-in page answering 200 in the Hub's place is refused, never cached as a model. */
class WebPageRefusalTest extends HubTestSupport {

    @Test
    void refusesAnHtmlPageServedInPlaceOfTheFile() {
        hub.faults.add(FakeHub.Fault.SIGN_IN_PAGE);

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("sent an HTML page").contains("Content-Type text/html")
                .contains("Guest Wi-Fi: sign in").contains("instead of " + hub.endpoint() + FakeHub.MODEL_PATH)
                .contains("captive portal").contains("sign in to the network").contains("place it at " + target());
        assertThat(target()).doesNotExist();
        assertThat(part()).doesNotExist();
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).as("not retried").isEqualTo(1);
    }

    @Test
    void refusesAPageThatStartsLikeHtmlWhateverItsContentType() {
        hub.publishHash = false;
        hub.redirectToCdn = false;
        hub.served = "\n  <html><body>Proxy authentication required</body></html>".getBytes(StandardCharsets.UTF_8);

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("sent an HTML page").contains("<html><body>Proxy authentication");
        assertThat(target()).doesNotExist();
        assertThat(part()).doesNotExist();
    }

    @Test
    void refusesAnHtmlAnswerToTheFirstQuestion() {
        hub.webPage = FakeHub.SIGN_IN_PAGE;

        var e = thrown(this::resolve);

        assertThat(e.getMessage()).contains("sent an HTML page (Content-Type text/html");
        assertThat(hub.requests).as("no retry, no download").hasSize(1);
        assertThat(tmp.resolve("cache")).as("nothing cached").satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(target()).doesNotExist());
    }

    @Test
    void aFileWithoutRecordIsUsedWithAWarningWhileAPortalAnswersForTheHub() throws Exception {
        placeByHand(hub.content);
        hub.webPage = FakeHub.SIGN_IN_PAGE;

        try (LogCapture log = new LogCapture()) {
            assertThat(resolve()).isEqualTo(target());

            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING") && l.contains("could not be checked")
                    && l.contains("HTML page"));
        }
        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
    }

    @Test
    void anHtmlFileAskedForByNameIsNoWebPageInTheWay() throws Exception {
        byte[] page = FakeHub.SIGN_IN_PAGE.getBytes(StandardCharsets.UTF_8);
        hub.addFile("docs/index.html", page);

        Path file = resolve(config(), "hf://Xenova/resnet-50/docs/index.html");

        assertThat(Files.readAllBytes(file)).isEqualTo(page);
    }
}
