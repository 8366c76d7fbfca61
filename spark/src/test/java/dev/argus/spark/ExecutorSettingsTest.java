package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.app.config.Key;
import dev.argus.app.config.Settings;
import dev.argus.domain.ArgusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorSettingsTest {

    @Test
    void carriesOnlyWhatWasSetWithItsSourceAndSurvivesJavaSerialization() throws Exception {
        Settings s = Settings.defaults().set(Key.BACKEND, "grpc", "flag --backend")
                .set(Key.GRPC_BACKEND_TARGET, "argus:50051", "flag --set");
        ExecutorSettings snapshot = ExecutorSettings.of(s);
        assertThat(snapshot.values()).containsOnlyKeys("argus.backend", "argus.grpc-backend.target");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        ExecutorSettings back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ExecutorSettings) in.readObject();
        }
        assertThat(back).isEqualTo(snapshot).hasSameHashCodeAs(snapshot);
        assertThat(back.config(Map.of()).grpcBackend().orElseThrow().target()).isEqualTo("argus:50051");
        assertThat(back.settings().source(Key.BACKEND)).isEqualTo("flag --backend");
    }

    @Test
    void failsOnExecutorsAsArgusDoesNamingKeyValueAndSource() {
        ExecutorSettings bad = ExecutorSettings.of(Settings.defaults().set(Key.MAX_BATCH, "lots", "flag --set"));
        assertThatThrownBy(() -> bad.config(Map.of())).isInstanceOf(ArgusException.class)
                .hasMessageContaining("argus.inference.max-batch").hasMessageContaining("lots").hasMessageContaining("flag --set");
    }

    @Test
    void keepsSecretsOutOfItsDescription() {
        ExecutorSettings s = ExecutorSettings.of(Settings.defaults().set(Key.GRPC_BACKEND_TOKEN, "s3cret", "env")
                .set(Key.MODEL, "/m.onnx", "flag --model"));
        assertThat(s.toString()).contains("argus.model=/m.onnx").contains("<redacted>").doesNotContain("s3cret");
    }
}
