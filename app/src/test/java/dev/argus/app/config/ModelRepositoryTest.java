package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository layout read: version folders and policies, model.properties, what is refused and why. */
class ModelRepositoryTest {
    private static final String CF = "@cf/microsoft/resnet-50";

    @TempDir
    Path repo;

    private Settings settings() {
        return Settings.defaults().set(Key.REPOSITORY, repo.toString(), "test");
    }

    private void file(String path, String content) throws IOException {
        Path p = repo.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void servesTheNewestVersionByDefaultAllOrAListAndNamesEachModelAfterItsFolder() throws Exception {
        file("a/1/model.onnx", "x");
        file("a/2/model.onnx", "x");
        file("a/10/model.onnx", "x");
        file("b/1/model.onnx", "x");
        file("b/2/model.onnx", "x");
        file("b/model.properties", "versions=all\n");
        file("c/1/model.onnx", "x");
        file("c/3/model.onnx", "x");
        file("c/model.properties", "versions=1, 3\n");
        file("README.md", "not a model");
        Files.createDirectories(repo.resolve(".hidden/1"));
        ModelRepository.Scan scan = ModelRepository.scan(settings(), CF);
        assertThat(scan.failures()).isEmpty();
        assertThat(scan.entries()).extracting(e -> e.name() + ":" + e.version())
                .containsExactly("a:10", "b:2", "b:1", "c:1", "c:3");
        ModelRepository.Entry a = scan.entries().get(0);
        assertThat(a.settings().get(Key.MODEL_NAME)).isEqualTo("a");
        assertThat(a.settings().get(Key.MODEL)).isEqualTo(repo.resolve("a/10/model.onnx").toAbsolutePath().toString());
        assertThat(a.required()).isTrue();
    }

    @Test
    void aHuggingFaceVersionFolderIsTheModelAndRelativePathsAreTheVersionFolders() throws Exception {
        file("vit/1/config.json", "{}");
        file("vit/1/preprocessor_config.json", "{}");
        file("vit/1/model.onnx", "x");
        file("pt/2/weights.pt", "x");
        file("pt/2/labels.txt", "a\nb\n");
        file("pt/model.properties", "argus.backend=djl-pytorch\nargus.model=weights.pt\nargus.model.labels=labels.txt\n"
                + "argus.inference.max-batch=4\nrequired=false\naliases=@cf/x/pt, torch\n");
        ModelRepository.Scan scan = ModelRepository.scan(settings(), CF);
        ModelRepository.Entry pt = scan.entries().get(0);
        assertThat(pt.settings().get(Key.MODEL)).isEqualTo(repo.resolve("pt/2/weights.pt").toAbsolutePath().toString());
        assertThat(pt.settings().get(Key.MODEL_LABELS)).isEqualTo(repo.resolve("pt/2/labels.txt").toAbsolutePath().toString());
        assertThat(pt.settings().get(Key.BACKEND)).isEqualTo("djl-pytorch");
        assertThat(pt.settings().get(Key.MAX_BATCH)).isEqualTo("4");
        assertThat(pt.settings().source(Key.MAX_BATCH)).endsWith("model.properties");
        assertThat(pt.required()).isFalse();
        assertThat(pt.aliases()).containsExactly("@cf/x/pt", "torch");
        ModelRepository.Entry vit = scan.entries().get(1);
        assertThat(vit.settings().get(Key.MODEL)).isEqualTo(repo.resolve("vit/1").toAbsolutePath().toString());
    }

    @Test
    void cloudflaresIdGoesToTheModelNamedAsItsLastPartUnlessAModelClaimsIt() throws Exception {
        file("resnet-50/1/model.onnx", "x");
        file("other/1/model.onnx", "x");
        assertThat(ModelRepository.scan(settings(), CF).entries()).filteredOn(e -> e.name().equals("resnet-50"))
                .singleElement().satisfies(e -> assertThat(e.aliases()).containsExactly(CF));
        file("other/model.properties", "aliases=" + CF + "\n");
        assertThat(ModelRepository.scan(settings(), CF).entries()).filteredOn(e -> e.name().equals("resnet-50"))
                .singleElement().satisfies(e -> assertThat(e.aliases()).isEmpty());
        assertThat(ModelRepository.select(settings(), CF, "", "").name()).isEqualTo("other");
        assertThat(ModelRepository.select(settings(), CF, "RESNET-50", "").name()).isEqualTo("resnet-50");
        assertThatThrownBy(() -> ModelRepository.select(settings(), CF, "nope", ""))
                .isInstanceOf(ArgusException.class).hasMessageContaining("serves no model 'nope'").hasMessageContaining("resnet-50 (version 1)");
    }

    @Test
    void aBrokenModelIsReportedWithWhyAndTheOthersAreStillRead() throws Exception {
        file("good/1/model.onnx", "x");
        file("nofile/1/notes.txt", "x");
        file("typo/1/model.onnx", "x");
        file("typo/model.properties", "argus.rest.port=9\n");
        file("noversion/model.properties", "required=false\n");
        file("badpolicy/1/model.onnx", "x");
        file("badpolicy/model.properties", "versions=2\n");
        file("bad name!/1/model.onnx", "x");
        ModelRepository.Scan scan = ModelRepository.scan(settings(), CF);
        assertThat(scan.entries()).extracting(ModelRepository.Entry::name).containsExactly("good");
        assertThat(scan.failures()).extracting(f -> f.name() + ": " + f.reason()).anySatisfy(r -> assertThat(r)
                .startsWith("nofile: ").contains("has no model for backend onnx"))
                .anySatisfy(r -> assertThat(r).startsWith("typo: ").contains("Unknown key 'argus.rest.port'"))
                .anySatisfy(r -> assertThat(r).startsWith("noversion: ").contains("no version folder"))
                .anySatisfy(r -> assertThat(r).startsWith("badpolicy: ").contains("names version 2, which has no folder"))
                .anySatisfy(r -> assertThat(r).startsWith("bad name!: ").contains("not a model name"));
        assertThat(scan.failures()).filteredOn(f -> f.name().equals("noversion")).singleElement()
                .satisfies(f -> assertThat(f.required()).isFalse());
    }

    @Test
    void modelKeysForTheWholeServerAreRefusedAndAnEmptyOrMissingRepositoryIsAConfigurationError() throws Exception {
        file("a/1/model.onnx", "x");
        assertThatThrownBy(() -> ModelRepository.scan(settings().set(Key.MODEL_MEAN, "0.5,0.5,0.5", "cli"), CF))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.model.mean (from cli)")
                .hasMessageContaining("model.properties");
        Path empty = Files.createDirectories(repo.resolve("a/1/empty"));
        assertThatThrownBy(() -> ModelRepository.scan(Settings.defaults().set(Key.REPOSITORY, empty.toString(), "t"), CF))
                .hasMessageContaining("holds no model");
        assertThatThrownBy(() -> ModelRepository.scan(Settings.defaults().set(Key.REPOSITORY, repo.resolve("missing").toString(), "t"), CF))
                .hasMessageContaining("is not a directory");
        assertThat(ModelRepository.chosen(List.of("3", "2", "1"), "LATEST", repo)).containsExactly("3");
    }
}
