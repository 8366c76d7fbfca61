package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.out.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompositeModelSourceTest {

    @TempDir
    Path dir;

    @Test
    void handsEachLocationToTheFirstSourceThatSupportsIt() throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        ModelSource hub = new HuggingFaceModelSource(HubConfig.defaults(dir.resolve("cache")).withOffline(true));
        CompositeModelSource sources = CompositeModelSource.of(hub, new LocalFileModelSource());

        assertThat(sources.resolve(model.toString(), null)).isEqualTo(model);
        assertThatThrownBy(() -> sources.resolve("hf://a/b/c.onnx", null))
                .hasMessageContaining("offline mode is on");
    }

    @Test
    void unsupportedLocationListsTheAcceptedSyntaxes() {
        ModelSource sources = HubModelSources.standard(HubConfig.defaults(dir));

        assertThat(sources.supports("s3://bucket/model.onnx")).isFalse();
        assertThatThrownBy(() -> sources.resolve("s3://bucket/model.onnx", null))
                .isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContainingAll("Unsupported model location 's3://bucket/model.onnx'",
                        HubLocation.SYNTAX, HubLocation.EXAMPLE, "file:///models/model.onnx");
        assertThatThrownBy(() -> sources.resolve(" ", null)).hasMessageContaining("No model location is set");
    }
}
