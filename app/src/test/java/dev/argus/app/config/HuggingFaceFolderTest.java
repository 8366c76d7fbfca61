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
        return folder(name, modelPath, "resnet-50.json");
    }

    private Path folder(String name, String modelPath, String processor) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(f.resolve(modelPath).getParent());
        Files.copy(TestModels.probeOnnx(), f.resolve(modelPath));
        Files.copy(HuggingFaceProcessorTest.CONFIGS.resolve(processor), f.resolve("preprocessor_config.json"));
        Files.writeString(f.resolve("config.json"), configJson("class ", "\"_name_or_path\":\"acme/probe-net\","));
        return f;
    }

    /** A config.json naming the probe model's 1,000 classes {@code prefix + i}, after the members {@code more}. */
    static String configJson(String prefix, String more) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"").append(prefix).append(i).append('"');
        }
        return "{" + more + "\"id2label\":{" + id2label + "}}";
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
    void thePreprocessingIsTheFoldersProcessorsUnlessTheUserGivesOne() throws IOException {
        Path f = folder("vit-net", "model.onnx", "vit.json");
        PreprocessSpec fromFolder = ArgusConfig.from(settings(f), Map.of()).model().preprocess();
        assertThat(fromFolder.resizeMode()).isEqualTo(dev.argus.domain.ResizeMode.STRETCH);
        assertThat(fromFolder.resample()).isEqualTo(dev.argus.domain.Resample.BILINEAR);
        assertThat(fromFolder.mean()).containsExactly(0.5f, 0.5f, 0.5f);
        // written out empty (a properties file, an environment variable), the key names no file: the folder's still counts
        assertThat(ArgusConfig.from(settings(f).set(Key.MODEL_PREPROCESSOR_CONFIG, "", "ARGUS_MODEL_PREPROCESSOR_CONFIG"),
                Map.of()).model().preprocess()).isEqualTo(fromFolder);
        assertThat(ArgusConfig.from(settings(f).set(Key.MODEL_PREPROCESSOR_CONFIG,
                HuggingFaceProcessorTest.CONFIGS.resolve("resnet-50.json").toString(), "flag"), Map.of()).model().preprocess())
                .isEqualTo(PreprocessSpec.resnet50());
    }

    @Test
    void otherLocationsAreReadAsBefore() throws IOException {
        Path f = folder("probe-net", "model.onnx");
        // file: URIs, hierarchical and opaque, are not folders and do not fail here
        String uri = TestModels.probeOnnx().toUri().toString();
        assertThat(ArgusConfig.from(settings(Path.of("x")).set(Key.MODEL, uri, "t"), Map.of()).modelLocation()).isEqualTo(uri);
        assertThat(ArgusConfig.from(settings(Path.of("x")).set(Key.MODEL, "file:model.onnx", "t"), Map.of()).modelLocation())
                .isEqualTo("file:model.onnx");
        // the folder as a file: URI is a folder too
        assertThat(HuggingFaceFolder.at(f.toUri().toString())).isPresent();
        // a remote backend ignores the model location, folder or not
        ArgusConfig remote = ArgusConfig.from(settings(f).set(Key.BACKEND, "grpc", "t")
                .set(Key.GRPC_BACKEND_TARGET, "127.0.0.1:1", "t"), Map.of());
        assertThat(remote.modelLocation()).isEqualTo(f.toString());
        assertThat(remote.model().preprocess()).isEqualTo(PreprocessSpec.resnet50());
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
    void aFolderWithoutTheBackendsModelFileSaysWhatItLookedFor() throws IOException {
        Path f = folder("probe-net", "model.onnx");
        assertThatThrownBy(() -> ArgusConfig.from(settings(f).set(Key.BACKEND, "djl-pytorch", "flag"), Map.of()))
                .hasMessageContaining("no model for backend djl-pytorch").hasMessageContaining("model.pt");
    }

    @Test
    void aDirectoryWithoutBothJsonFilesIsNotOne() throws IOException {
        Path savedModel = Files.createDirectories(dir.resolve("sm"));
        Files.writeString(savedModel.resolve("saved_model.pb"), "x");
        assertThat(HuggingFaceFolder.at(savedModel.toString())).isEmpty();
        // a SavedModel with a processor configuration but no config.json stays a SavedModel, as before
        Files.copy(HuggingFaceProcessorTest.CONFIGS.resolve("vit.json"), savedModel.resolve("preprocessor_config.json"));
        assertThat(HuggingFaceFolder.at(savedModel.toString())).isEmpty();
        assertThat(HuggingFaceFolder.at("hf://acme/net/model.onnx")).isEmpty();
        assertThat(HuggingFaceFolder.at(dir.resolve("missing").toString())).isEmpty();
    }
}
