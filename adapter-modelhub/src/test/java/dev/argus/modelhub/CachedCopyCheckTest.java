package dev.argus.modelhub;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A cached copy is checked against the Hub when it has no record, or when its revision is a branch that may move. */
class CachedCopyCheckTest extends HubTestSupport {
    private static final String NEXT_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";

    @Test
    void aFileWithoutRecordThatDiffersFromTheHubsHashIsDownloadedAgain() throws Exception {
        placeByHand(FakeHub.bytes(SIZE, 7)); // the right size, other bytes: say, a download that went wrong

        Path file = resolve();

        assertThat(Files.readAllBytes(file)).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
        assertThat(Files.readString(meta())).contains("hashSource=hub").contains("sha256=" + hub.sha256);
    }

    @Test
    void aFileWithoutRecordThatMatchesTheHubsHashIsKeptAndRecordedAsVerified() throws Exception {
        placeByHand(hub.content);

        Path file = resolve();

        assertThat(file).isEqualTo(target());
        assertThat(hub.gets()).as("checked with a HEAD, not downloaded").isEmpty();
        assertThat(Files.readString(meta())).contains("hashSource=hub").contains("commit=" + FakeHub.COMMIT);
    }

    @Test
    void aFileWithoutRecordIsUsedWithAWarningWhenTheHubCannotBeAsked() throws Exception {
        placeByHand(hub.content);
        hub.close();

        try (LogCapture log = new LogCapture()) {
            assertThat(resolve()).isEqualTo(target());

            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING") && l.contains("has no download record")
                    && l.contains("could not be checked"));
        }
        assertThat(Files.readString(meta())).as("still unverified: checked at the next start")
                .contains("hashSource=none");
    }

    @Test
    void aBranchIsRecheckedAndANewCommitOnItIsDownloaded() throws Exception {
        resolve();
        byte[] next = FakeHub.bytes(SIZE + 10, 8);
        hub.newCommit(next, NEXT_COMMIT);

        Path file = resolve();

        assertThat(Files.readAllBytes(file)).isEqualTo(next);
        assertThat(Files.readString(meta())).contains("commit=" + NEXT_COMMIT).contains("sha256=" + hub.sha256);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
    }

    @Test
    void aBranchThatHasNotMovedCostsOneHeadAndNoDownload() {
        resolve();
        int before = hub.requests.size();

        assertThat(resolve()).isEqualTo(target());

        assertThat(hub.requests.subList(before, hub.requests.size()))
                .singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("HEAD"));
    }

    @Test
    void aNewCommitThatLeavesTheFileAsItWasOnlyUpdatesTheRecord() throws Exception {
        resolve();
        hub.commit = NEXT_COMMIT;

        resolve();

        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
        assertThat(Files.readString(meta())).contains("commit=" + NEXT_COMMIT);
    }

    @Test
    void theCachedBranchIsServedWithAWarningWhenTheHubCannotBeReached() {
        resolve();
        hub.close();
        long started = System.nanoTime();

        try (LogCapture log = new LogCapture()) {
            assertThat(resolve()).isEqualTo(target());

            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING") && l.contains("could not be re-checked")
                    && l.contains("revision 'main'") && l.contains(FakeHub.COMMIT));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("one try, no backoff")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aPinnedFileIsNotRechecked() {
        String pinned = FakeHub.LOCATION + "#sha256=" + hub.sha256;
        resolve(config(), pinned);
        int before = hub.requests.size();

        resolve(config(), pinned);

        assertThat(hub.requests).hasSize(before);
    }
}
