package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class HubResumeAndRetryTest extends HubTestSupport {

    /** Records that the {@code .part} about to be planted was started from the fake Hub's current file. */
    private void startedFromTheHub() throws Exception {
        Files.createDirectories(part().getParent());
        PartFile.keepOnlyIfFrom(part(), new RemoteFile(hub.sha256, hub.content.length, FakeHub.COMMIT));
    }

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws Exception {
        startedFromTheHub();
        Files.write(part(), Arrays.copyOf(hub.content, 1_000_000));

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
        assertThat(hub.gets()).allSatisfy(r -> assertThat(r.range()).isEqualTo("bytes=1000000-"));
    }

    @Test
    void aPartStartedFromAnotherRevisionIsNotResumed() throws Exception {
        Files.createDirectories(part().getParent());
        PartFile.keepOnlyIfFrom(part(), new RemoteFile("00".repeat(32), hub.content.length, "another-commit"));
        Files.write(part(), FakeHub.bytes(1_000_000, 9));

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.gets()).allSatisfy(r -> assertThat(r.range()).as("downloaded from zero").isNull());
    }

    @Test
    void aPartWithoutARecordOfItsOriginIsNotResumed() throws Exception {
        hub.publishHash = false;
        Files.createDirectories(part().getParent());
        Files.write(part(), FakeHub.bytes(1_000_000, 9)); // another version's first megabyte

        resolve();

        assertThat(Files.readAllBytes(target())).as("not spliced from two versions").isEqualTo(hub.content);
    }

    @Test
    void startsOverWhenTheServerIgnoresRange() throws Exception {
        hub.honourRange = false;
        startedFromTheHub();
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
        // The body stops half way for 7 read timeouts: the stall, not a slow moment of a loaded machine, must be what
        // the read timeout catches, so that the healthy retry completes in one GET.
        Duration readTimeout = Duration.ofSeconds(1);
        hub.faults.add(FakeHub.Fault.STALL_MID_BODY);
        hub.stallMillis = readTimeout.multipliedBy(7).toMillis();

        resolve(config().withTimeouts(Duration.ofSeconds(2), readTimeout), FakeHub.LOCATION);

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
        var cdnGets = hub.gets().stream().filter(r -> r.path().equals(FakeHub.CDN_PATH)).toList();
        assertThat(cdnGets.get(1).range()).as("resumed where the stalled transfer stopped")
                .matches("bytes=\\d+-").isNotEqualTo("bytes=0-");
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

    @Test
    void aBodyLongerThanAnnouncedIsCutOffAndNotRetried() throws Exception {
        hub.faults.add(FakeHub.Fault.ENDLESS_BODY);
        var failure = org.assertj.core.api.Assertions.catchThrowable(this::resolve);
        assertThat(failure).hasMessageContaining("sent more than the " + hub.content.length + " bytes it announced");
        assertThat(part()).as("nothing kept").doesNotExist();
        assertThat(target()).doesNotExist();
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
    }

    @Test
    void anErrorPageThatNeverEndsDoesNotHang() throws Exception {
        hub.faults.add(FakeHub.Fault.ENDLESS_ERROR_500);
        long t0 = System.nanoTime();
        resolve();
        assertThat(Files.readAllBytes(target())).as("the retry after the 500 succeeds").isEqualTo(hub.content);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not waiting for the error body to end")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aPartPlantedAsASymlinkIsNotWrittenThrough(@org.junit.jupiter.api.io.TempDir java.nio.file.Path elsewhere) throws Exception {
        java.nio.file.Path victim = elsewhere.resolve("victim.txt");
        Files.writeString(victim, "keep me");
        startedFromTheHub();
        Files.createSymbolicLink(part(), victim);
        // whether the download then fails or not, what the link points at must stay as it was
        var unused = org.assertj.core.api.Assertions.catchThrowable(this::resolve);
        assertThat(Files.readString(victim)).as("nothing appended outside the cache").isEqualTo("keep me");
    }
}
