package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.out.ModelSource.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFileModelSourceTest {
    private final LocalFileModelSource source = new LocalFileModelSource();

    @TempDir
    Path dir;

    @Test
    void supportsPathsAndFileUrisButNoOtherSchemes() {
        assertThat(source.supports("/models/model.onnx")).isTrue();
        assertThat(source.supports("models/model.onnx")).isTrue();
        assertThat(source.supports("C:\\models\\model.onnx")).isTrue();
        assertThat(source.supports("file:///models/model.onnx")).isTrue();
        assertThat(source.supports("hf://Xenova/resnet-50/onnx/model.onnx")).isFalse();
        assertThat(source.supports("s3://bucket/model.onnx")).isFalse();
        assertThat(source.supports(" ")).isFalse();
    }

    @Test
    void resolvesAPlainPathAndAFileUri() throws Exception {
        Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});

        assertThat(source.resolve(model.toString(), ProgressListener.NONE)).isEqualTo(model);
        assertThat(source.resolve(model.toUri().toString(), ProgressListener.NONE)).isEqualTo(model);
    }

    @Test
    void missingFileNamesThePathAndTheAlternative() {
        Path missing = dir.resolve("nope.onnx");

        assertUnavailable(missing.toString(), "Model file not found: " + missing, "hf://Xenova/resnet-50");
    }

    @Test
    void acceptsATensorFlowSavedModelDirectory() throws Exception {
        java.nio.file.Path savedModel = java.nio.file.Files.createDirectories(dir.resolve("resnet50-savedmodel"));
        java.nio.file.Files.write(savedModel.resolve("saved_model.pb"), new byte[] {1});
        org.assertj.core.api.Assertions.assertThat(source.resolve(savedModel.toString(), ProgressListener.NONE))
                .isEqualTo(savedModel.toAbsolutePath().normalize());
    }

    @Test
    void directoryEmptyFileAreRejectedWithAdvice() throws Exception {
        assertUnavailable(dir.toString(), "is a directory", dir.resolve("model.onnx").toString());
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertUnavailable(empty.toString(), "is empty (0 bytes)", "download it again");
    }

    @Test
    void malformedFileUriIsAConfigurationError() {
        assertThatThrownBy(() -> source.resolve("file://host/share/model.onnx", ProgressListener.NONE))
                .isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("file:///models/model.onnx");
    }

    private void assertUnavailable(String location, String... parts) {
        assertThatThrownBy(() -> source.resolve(location, ProgressListener.NONE))
                .isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContainingAll(parts);
    }
}
