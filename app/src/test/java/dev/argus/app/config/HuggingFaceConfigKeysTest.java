package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Resample;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code argus.model.preprocessor-config}, {@code argus.model.resample} and labels from a {@code config.json}. */
class HuggingFaceConfigKeysTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private static String config(String name) {
        return HuggingFaceProcessorTest.CONFIGS.resolve(name).toString();
    }

    @Test
    void aPreprocessorConfigurationGivesTheModelsPreprocessingInTheConfiguredLayout() {
        Settings s = Settings.defaults().set(Key.MODEL_PREPROCESSOR_CONFIG, config("vit.json"), "test")
                .set(Key.MODEL_LAYOUT, "nhwc", "test");
        PreprocessSpec spec = ArgusConfig.from(s, NO_ENV).model().preprocess();
        assertThat(spec.resizeMode()).isEqualTo(ResizeMode.STRETCH);
        assertThat(spec.resample()).isEqualTo(Resample.BILINEAR);
        assertThat(spec.mean()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(spec.layout()).isEqualTo(TensorLayout.NHWC);
    }

    @Test
    void aPreprocessorConfigurationAndAKeyItReplacesTogetherAreRefused() {
        for (Key k : new Key[] {Key.MODEL_INPUT_SIZE, Key.MODEL_MEAN, Key.MODEL_RESAMPLE}) {
            String value = k == Key.MODEL_INPUT_SIZE ? "224" : k == Key.MODEL_MEAN ? "0.5,0.5,0.5" : "bicubic";
            Settings s = Settings.defaults().set(Key.MODEL_PREPROCESSOR_CONFIG, config("vit.json"), "test")
                    .set(k, value, "the command line");
            assertThatThrownBy(() -> ArgusConfig.from(s, NO_ENV)).isInstanceOf(ArgusException.class)
                    .hasMessageContaining(k.key()).hasMessageContaining("argus.model.preprocessor-config")
                    .hasMessageContaining("one or the other");
        }
    }

    @Test
    void withoutOneTheResampleKeyChoosesTheFilter() {
        assertThat(ArgusConfig.from(Settings.defaults(), NO_ENV).model().preprocess()).isEqualTo(PreprocessSpec.resnet50());
        PreprocessSpec bilinear = ArgusConfig.from(Settings.defaults().set(Key.MODEL_RESAMPLE, "bilinear", "t"), NO_ENV)
                .model().preprocess();
        assertThat(bilinear.resample()).isEqualTo(Resample.BILINEAR);
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.MODEL_RESAMPLE, "lanczos", "t"), NO_ENV))
                .hasMessageContaining("argus.model.resample").hasMessageContaining("bicubic");
    }

    @Test
    void labelsCanBeAHuggingFaceConfigJson() throws IOException {
        Path json = dir.resolve("config.json");
        Files.writeString(json, "{\"id2label\":{\"0\":\"tabby, tabby cat\",\"1\":\"kite\"}}");
        var labels = ArgusConfig.from(Settings.defaults().set(Key.MODEL_LABELS, json.toString(), "t"), NO_ENV).model().labels();
        assertThat(labels.fullNames()).containsExactly("tabby, tabby cat", "kite");
    }
}
