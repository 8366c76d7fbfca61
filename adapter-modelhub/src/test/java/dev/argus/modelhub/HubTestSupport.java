package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.ports.out.ModelSource.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A fake Hub per test, a cache in a temporary directory and a config with fast retries. */
abstract class HubTestSupport {
    static final int SIZE = 3 * 1024 * 1024 + 12_345;

    @TempDir
    Path tmp;
    FakeHub hub;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub(SIZE);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubConfig config() {
        return HubConfig.defaults(tmp.resolve("cache"))
                .withEndpoint(hub.endpoint())
                .withRetries(4, Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    Path resolve(HubConfig config, String location) {
        return new HuggingFaceModelSource(config).resolve(location, ProgressListener.NONE);
    }

    Path resolve() {
        return resolve(config(), FakeHub.LOCATION);
    }

    Path target() {
        return tmp.resolve("cache/Xenova/resnet-50/main/onnx/model.onnx");
    }

    /** Bookkeeping lives apart from the files, where no repository path can reach: {@code <cache>/.argus/...}. */
    Path part() {
        return tmp.resolve("cache/.argus/Xenova/resnet-50/main/onnx%2Fmodel.onnx.part");
    }

    Path meta() {
        return tmp.resolve("cache/.argus/Xenova/resnet-50/main/onnx%2Fmodel.onnx.meta");
    }

    Path lock() {
        return tmp.resolve("cache/.argus/Xenova/resnet-50/main/onnx%2Fmodel.onnx.lock");
    }

    /** Puts {@code data} where the model is cached, without a record: as someone placing it by hand would. */
    void placeByHand(byte[] data) throws IOException {
        Files.createDirectories(target().getParent());
        Files.write(target(), data);
    }

    static ArgusException thrown(Runnable action) {
        try {
            action.run();
        } catch (ArgusException e) {
            return e;
        }
        throw new AssertionError("expected an ArgusException");
    }
}
