package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class HubResumeAndRetryTest extends HubTestSupport {

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws Exception {
        Files.createDirectories(part().getParent());
        Files.write(part(), Arrays.copyOf(hub.content, 1_000_000));

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
        assertThat(hub.gets()).allSatisfy(r -> assertThat(r.range()).isEqualTo("bytes=1000000-"));
    }

    @Test
    void startsOverWhenTheServerIgnoresRange() throws Exception {
        hub.honourRange = false;
        Files.createDirectories(part().getParent());
        Files.write(part(), FakeHub.bytes(1_000_000, 7)); // not even the right bytes

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
    }

    @Test
    void resumesAfterTheConnectionDropsMidBody() throws Exception {
        hub.faults.add(FakeHub.Fault.DROP_MID_BODY);

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        var cdnGets = hub.gets().stream().filter(r -> r.path().equals(FakeHub.CDN_PATH)).toList();
        assertThat(cdnGets).hasSize(2);
        assertThat(cdnGets.get(0).range()).isNull();
        assertThat(cdnGets.get(1).range()).as("resumed where the first stopped (about half way)")
                .matches("bytes=\\d+-").isNotEqualTo("bytes=0-");
    }

    @Test
    void keepsGoingWhileAFlakyDownloadMakesProgress() throws Exception {
        for (int i = 0; i < 6; i++) {
            hub.faults.add(FakeHub.Fault.DROP_MID_BODY);
        }

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).as("more than maxAttempts, each resuming").isEqualTo(7);
    }

    @Test
    void retriesATransferThatStalls() throws Exception {
        hub.faults.add(FakeHub.Fault.STALL_MID_BODY);
        hub.stallMillis = 2_000;

        resolve(config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)), FakeHub.LOCATION);

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
    }

    @Test
    void retriesAfterAServerError() throws Exception {
        hub.faults.add(FakeHub.Fault.ERROR_500);

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws Exception {
        hub.faults.add(FakeHub.Fault.TOO_MANY_REQUESTS_RETRY_AFTER_1);
        long started = System.nanoTime();

        resolve();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
    }

    @Test
    void givesUpAfterMaxAttempts() {
        for (int i = 0; i < 4; i++) {
            hub.faults.add(FakeHub.Fault.ERROR_500);
        }

        var e = thrown(this::resolve);

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 500").contains("after 4 attempts").contains("try again later")
                .contains("yourself and either place it at " + target());
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(4);
        assertThat(target()).doesNotExist();
    }
}
