package dev.argus.modelhub;

import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HuggingFaceModelSourceTest extends HubTestSupport {

    @Test
    void downloadsVerifiesAndCachesTheFile() throws Exception {
        List<long[]> progress = new ArrayList<>();
        Path file = new HuggingFaceModelSource(config())
                .resolve(FakeHub.LOCATION, (done, total) -> progress.add(new long[] {done, total}));

        assertThat(file).isEqualTo(target());
        assertThat(Files.readAllBytes(file)).isEqualTo(hub.content);
        assertThat(part()).doesNotExist();
        Properties meta = new Properties();
        try (var in = Files.newInputStream(meta())) {
            meta.load(in);
        }
        assertThat(meta.getProperty("sha256")).isEqualTo(hub.sha256);
        assertThat(meta.getProperty("size")).isEqualTo(Integer.toString(SIZE));
        assertThat(meta.getProperty("hashSource")).isEqualTo("hub");
        assertThat(meta.getProperty("commit")).isEqualTo(FakeHub.COMMIT);
        assertThat(progress.get(progress.size() - 1)).containsExactly(SIZE, SIZE);
        assertThat(hub.count("HEAD", FakeHub.MODEL_PATH)).isEqualTo(1);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
    }

    @Test
    void reusesTheCacheOfACommitWithoutTouchingTheNetwork() {
        String atCommit = FakeHub.LOCATION + "@" + FakeHub.COMMIT;
        Path first = resolve(config(), atCommit);
        int before = hub.requests.size();

        Path again = resolve(config(), atCommit);

        assertThat(again).isEqualTo(first)
                .isEqualTo(tmp.resolve("cache/Xenova/resnet-50/" + FakeHub.COMMIT + "/onnx/model.onnx"));
        assertThat(hub.requests).as("a commit never changes: no re-check").hasSize(before);
    }

    @Test
    void sendsTheTokenToTheHubButNotToTheCdn() {
        resolve(config().withToken("hf_secret_token"), FakeHub.LOCATION);

        assertThat(hub.requests).filteredOn(r -> r.path().equals(FakeHub.MODEL_PATH))
                .isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hf_secret_token"));
        assertThat(hub.requests).filteredOn(r -> r.path().equals(FakeHub.CDN_PATH))
                .isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void concurrentResolvesDownloadOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            HuggingFaceModelSource shared = new HuggingFaceModelSource(config());
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HuggingFaceModelSource source = i % 2 == 0 ? shared : new HuggingFaceModelSource(config());
                Callable<Path> task = () -> source.resolve(FakeHub.LOCATION, null);
                results.add(pool.submit(task));
            }
            for (Future<Path> result : results) {
                assertThat(result.get()).isEqualTo(target());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(1);
        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
    }

    @Test
    void downloadsAFileWithoutPublishedHashAndRecordsTheComputedOne() throws Exception {
        hub.publishHash = false;
        hub.redirectToCdn = false;
        AtomicLong total = new AtomicLong();

        Path file = new HuggingFaceModelSource(config()).resolve(FakeHub.LOCATION, (d, t) -> total.set(t));

        assertThat(Files.readAllBytes(file)).isEqualTo(hub.content);
        assertThat(total.get()).as("size from the HEAD's Content-Length").isEqualTo(SIZE);
        assertThat(Files.readString(meta()))
                .contains("sha256=" + hub.sha256).contains("hashSource=none");
    }

    @Test
    void rehashesACachedFileAndDownloadsAgainWhenItIsCorrupted() throws Exception {
        resolve();
        byte[] damaged = hub.content.clone();
        damaged[1000] ^= 1;
        Files.write(target(), damaged);

        resolve();

        assertThat(Files.readAllBytes(target())).isEqualTo(hub.content);
        assertThat(hub.count("GET", FakeHub.CDN_PATH)).isEqualTo(2);
    }

    @Test
    void usesAFilePlacedByHandEvenOffline() throws Exception {
        Files.createDirectories(target().getParent());
        Files.write(target(), hub.content);

        Path file = resolve(config().withOffline(true), FakeHub.LOCATION + "#sha256=" + hub.sha256);

        assertThat(file).isEqualTo(target());
        assertThat(hub.requests).isEmpty();
    }

    @Test
    void offlineWithoutTheFileSaysWhatToDownloadAndWhere() {
        var e = thrown(() -> resolve(config().withOffline(true), FakeHub.LOCATION));

        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(e.getMessage())
                .startsWith("Cannot download " + FakeHub.LOCATION + ": offline mode is on")
                .contains("Download " + hub.endpoint() + FakeHub.MODEL_PATH + " yourself")
                .contains("place it at " + target())
                .contains("argus.model=");
        assertThat(hub.requests).isEmpty();
        assertThat(tmp.resolve("cache")).as("offline writes nothing").doesNotExist();
    }

    @Test
    void cachePathShowsWhereTheFileGoes() {
        assertThat(new HuggingFaceModelSource(config()).cachePath(FakeHub.LOCATION)).isEqualTo(target());
        assertThat(new HuggingFaceModelSource(config()).cachePath("hf://a/b/c.onnx@refs/pr/1"))
                .isEqualTo(tmp.resolve("cache/a/b/refs%2Fpr%2F1/c.onnx"));
    }
}
