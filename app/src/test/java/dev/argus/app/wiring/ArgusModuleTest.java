package dev.argus.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.sun.net.httpserver.HttpServer;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.domain.ArgusException;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.InferenceEngine;
import dev.argus.ports.out.ModelSource;
import dev.argus.ports.service.Tracing;
import dev.argus.testkit.TestModels;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building the injector opens the engine on the file it is given, and never fetches a model. */
class ArgusModuleTest {
    private HttpServer hub;
    private final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path data;

    /** A Hub that counts what it is asked and answers every request with 404: a download through it fails at once. */
    @BeforeEach
    void startHub() throws Exception {
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        hub.start();
    }

    @AfterEach
    void stopHub() {
        hub.stop(0);
    }

    private ArgusConfig hubModel() {
        Settings s = Settings.defaults()
                .set(Key.MODEL, "hf://argus-test/never-fetched/model.onnx", "test")
                .set(Key.HUB_ENDPOINT, "http://127.0.0.1:" + hub.getAddress().getPort(), "test")
                .set(Key.HUB_LOCK_TIMEOUT_MS, "1000", "test")
                .set(Key.DATA_DIR, data.toString(), "test")
                .set(Key.CPUS, "2", "test");
        return ArgusConfig.from(s, Map.of());
    }

    @Test
    void buildingTheInjectorOpensTheGivenFileAndAsksTheHubNothing() {
        ArgusConfig config = hubModel();
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new ArgusModule(config, TestModels.probeOnnx(), null, Tracing.OFF));
        try {
            assertThat(injector.getInstance(InferenceEngine.class).describe()).contains("onnxruntime");
            assertThat(requests.get()).as("requests to the Hub while building the injector").isZero();
        } finally {
            injector.getInstance(ImageClassifier.class).close();
        }
        // the control: resolving that location (what Argus.start does first, outside Guice) does ask this Hub, and fails
        assertThatThrownBy(() -> ModelFiles.localize(config, ModelSource.ProgressListener.NONE))
                .isInstanceOf(ArgusException.class);
        assertThat(requests.get()).as("requests when the model is resolved").isPositive();
    }

    @Test
    void aLocalBackendWithoutAResolvedModelIsAWiringErrorNotADownload() {
        ArgusConfig config = hubModel();
        assertThatThrownBy(() -> Guice.createInjector(Stage.PRODUCTION, new ArgusModule(config, null, null, Tracing.OFF)))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining("ModelFiles.localize").hasMessageContaining("hf://argus-test/never-fetched/model.onnx");
        assertThat(requests.get()).isZero();
    }
}
