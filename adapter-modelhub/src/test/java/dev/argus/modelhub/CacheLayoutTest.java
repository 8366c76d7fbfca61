package dev.argus.modelhub;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Files appear in the cache under their repository paths; the cache's bookkeeping can never take one's place. */
class CacheLayoutTest extends HubTestSupport {

    @Test
    void repositoryFilesNamedLikeTheBookkeepingDoNotCollideWithIt() throws Exception {
        byte[] namedLikeAPart = FakeHub.bytes(5_000, 1);
        byte[] namedLikeARecord = FakeHub.bytes(6_000, 2);
        byte[] namedLikeALock = FakeHub.bytes(7_000, 3);
        hub.addFile("onnx/model.onnx.part", namedLikeAPart);
        hub.addFile("onnx/model.onnx.argus-meta", namedLikeARecord);
        hub.addFile("onnx/model.onnx.lock", namedLikeALock);
        String base = "hf://Xenova/resnet-50/onnx/model.onnx";

        for (int round = 0; round < 2; round++) {
            assertThat(Files.readAllBytes(resolve(config(), base + ".part"))).isEqualTo(namedLikeAPart);
            assertThat(Files.readAllBytes(resolve(config(), base + ".argus-meta"))).isEqualTo(namedLikeARecord);
            assertThat(Files.readAllBytes(resolve(config(), base + ".lock"))).isEqualTo(namedLikeALock);
            assertThat(Files.readAllBytes(resolve())).isEqualTo(hub.content);
        }

        assertThat(Files.readAllBytes(target().resolveSibling("model.onnx.part"))).isEqualTo(namedLikeAPart);
        assertThat(Files.readAllBytes(target().resolveSibling("model.onnx.argus-meta"))).isEqualTo(namedLikeARecord);
        assertThat(hub.gets()).as("each downloaded once (the model: Hub, then CDN), none disturbed by the others")
                .hasSize(5);
    }

    @Test
    void bookkeepingLivesWhereNoRepositoryPathCanReach() {
        CachePaths paths = CachePaths.of(tmp, HubLocation.parse("hf://a/b/dir/x.onnx@refs/pr/1"));

        assertThat(paths.target()).isEqualTo(tmp.resolve("a/b/refs%2Fpr%2F1/dir/x.onnx"));
        assertThat(paths.meta()).isEqualTo(tmp.resolve(".argus/a/b/refs%2Fpr%2F1/dir%2Fx.onnx.meta"));
        assertThat(paths.part()).isEqualTo(tmp.resolve(".argus/a/b/refs%2Fpr%2F1/dir%2Fx.onnx.part"));
        assertThat(paths.lock()).isEqualTo(tmp.resolve(".argus/a/b/refs%2Fpr%2F1/dir%2Fx.onnx.lock"));
        assertThat(CachePaths.of(tmp, HubLocation.parse("hf://a/b/dir%2Fx.onnx")).meta())
                .as("a '%' in a name is escaped too").isEqualTo(tmp.resolve(".argus/a/b/main/dir%252Fx.onnx.meta"));
    }

    @Test
    void aVeryLongPathGetsShortBookkeepingNames() {
        String longPath = ("d".repeat(60) + "/").repeat(6) + "model.onnx";

        CachePaths paths = CachePaths.of(tmp, HubLocation.parse("hf://a/b/" + longPath));

        assertThat(paths.part().getFileName().toString()).hasSizeLessThan(100).startsWith("%H");
        assertThat(paths.meta().getParent()).isEqualTo(paths.part().getParent());
    }

    @Test
    void aCacheWrittenByThePreviousLayoutIsStillUsed() throws Exception {
        placeByHand(hub.content);
        Path legacyRecord = target().resolveSibling("model.onnx.argus-meta");
        new CacheEntry(FakeHub.LOCATION, hub.endpoint() + FakeHub.MODEL_PATH, hub.sha256, SIZE, "hub",
                FakeHub.COMMIT, Instant.now()).write(legacyRecord);

        Path file = resolve(config().withOffline(true), FakeHub.LOCATION);

        assertThat(file).isEqualTo(target());
        assertThat(Files.readString(meta())).as("the record, carried over").contains("hashSource=hub")
                .contains("commit=" + FakeHub.COMMIT);
        assertThat(legacyRecord).as("left alone: it could be a repository file now").exists();
    }

    @Test
    void aPreviousLayoutRecordForAnotherFileIsNotTaken() throws Exception {
        placeByHand(hub.content);
        new CacheEntry("hf://Xenova/resnet-50/onnx/other.onnx", "x", hub.sha256, SIZE, "hub", FakeHub.COMMIT,
                Instant.now()).write(target().resolveSibling("model.onnx.argus-meta"));

        resolve(config().withOffline(true), FakeHub.LOCATION);

        assertThat(Files.readString(meta())).contains("hashSource=none").contains("placed by hand");
    }
}
