package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.app.wiring.Argus;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model folder in Hugging Face's layout as the model location: model file, config.json and preprocessor_config.json. */
class HuggingFaceFolderTest {
    @TempDir
    Path dir;

    private Settings settings(Path model) {
        return Settings.defaults().set(Key.MODEL, model.toString(), "test")
                .set(Key.DATA_DIR, dir.resolve("data").toString(), "test");
    }

    /** The probe ONNX model at {@code modelPath} in {@code folder}, the ResNet-50 processor and 1,000 named classes. */
    private Path folder(String name, String modelPath) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(f.resolve(modelPath).getParent());
        Files.copy(TestModels.probeOnnx(), f.resolve(modelPath));
        Files.copy(HuggingFaceProcessorTest.CONFIGS.resolve("resnet-50.json"), f.resolve("preprocessor_config.json"));
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"class ").append(i).append('"');
        }
        Files.writeString(f.resolve("config.json"), "{\"_name_or_path\":\"acme/probe-net\",\"id2label\":{" + id2label + "}}");
        return f;
    }

    @Test
    void theFolderGivesTheModelFileItsPreprocessingLabelsAndName() throws IOException {
        Path f = folder("probe-net", "model.onnx");
        ArgusConfig c = ArgusConfig.from(settings(f), Map.of());
        assertThat(Path.of(c.modelLocation())).isEqualTo(f.resolve("model.onnx").toAbsolutePath());
        assertThat(c.model().preprocess()).isEqualTo(PreprocessSpec.resnet50());
        assertThat(c.model().labels().size()).isEqualTo(1000);
        assertThat(c.model().labels().fullNames().get(7)).isEqualTo("class 7");
        assertThat(c.model().name()).isEqualTo("acme/probe-net");
    }

    @Test
    void classifiesWithTheFoldersLabels() throws IOException {
        Path f = folder("served", "onnx/model.onnx"); // the layout of ONNX exports on the Hub
        ProbeCase probe = ProbeCase.all().get(0);
        try (Argus argus = Argus.start(ArgusConfig.from(settings(f), Map.of()), ModelSource.ProgressListener.NONE)) {
            ClassificationOutcome out = argus.classifier().classify(List.of(Files.readAllBytes(probe.file())),
                    new ClassifyOptions(1, LabelStyle.IMAGENET)).get(0);
            assertThat(out).isInstanceOfSatisfying(ClassificationOutcome.Success.class, s ->
                    assertThat(s.result().classifications().get(0).label()).isEqualTo("class " + probe.expectedClass()));
        }
    }

    @Test
    void whatTheUserSetsWinsAndConflictingPreprocessingIsRefused() throws IOException {
        Path f = folder("probe-net", "model.onnx");
        ArgusConfig named = ArgusConfig.from(settings(f).set(Key.MODEL_NAME, "mine", "flag").set(Key.MODEL_LABELS, "imagenet-1k", "flag"),
                Map.of());
        assertThat(named.model().name()).isEqualTo("mine");
        assertThat(named.model().labels().fullNames().get(0)).startsWith("tench");
        assertThat(ArgusConfig.from(settings(f).set(Key.MODEL_PREPROCESSOR_CONFIG,
                HuggingFaceProcessorTest.CONFIGS.resolve("vit.json").toString(), "flag"), Map.of()).model().preprocess().mean())
                .containsExactly(0.5f, 0.5f, 0.5f);
        assertThatThrownBy(() -> ArgusConfig.from(settings(f).set(Key.MODEL_MEAN, "0.5,0.5,0.5", "flag"), Map.of()))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.model.mean")
                .hasMessageContaining("preprocessor_config.json").hasMessageContaining("one or the other");
    }

    @Test
    void aFolderWithoutTheModelFileOrItsLabelsSaysWhatItLookedFor() throws IOException {
        Path f = folder("probe-net", "model.onnx");
        assertThatThrownBy(() -> ArgusConfig.from(settings(f).set(Key.BACKEND, "djl-pytorch", "flag"), Map.of()))
                .hasMessageContaining("no model for backend djl-pytorch").hasMessageContaining("model.pt");
        Files.delete(f.resolve("config.json"));
        assertThatThrownBy(() -> ArgusConfig.from(settings(f), Map.of()))
                .hasMessageContaining("no config.json").hasMessageContaining("argus.model.labels");
    }

    @Test
    void aDirectoryWithoutAProcessorConfigurationIsNotOne() throws IOException {
        Path savedModel = Files.createDirectories(dir.resolve("sm"));
        Files.writeString(savedModel.resolve("saved_model.pb"), "x");
        assertThat(HuggingFaceFolder.at(savedModel.toString())).isEmpty();
        assertThat(HuggingFaceFolder.at("hf://acme/net/model.onnx")).isEmpty();
        assertThat(HuggingFaceFolder.at(dir.resolve("missing").toString())).isEmpty();
    }
}
