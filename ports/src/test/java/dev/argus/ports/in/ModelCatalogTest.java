package dev.argus.ports.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.model.ModelInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    private static ClassifyImageUseCase useCase(String name) {
        return new ClassifyImageUseCase() {
            @Override
            public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelInfo model() {
                return new ModelInfo("test", name, "none", Optional.empty(), 1000);
            }
        };
    }

    private static ServedModel model(String name, String version, boolean required, AtomicBoolean ready, String... aliases) {
        return new ServedModel(name, version, useCase(name), Optional.empty(), List.of(aliases), required, ready::get);
    }

    @Test
    void findsByFullNameShortNameOrAliasInAnyCaseTheNewestVersionUnlessOneIsNamed() {
        AtomicBoolean up = new AtomicBoolean(true);
        ModelCatalog c = new ModelCatalog();
        c.put(model("microsoft/resnet-50", "1", true, up, "@cf/microsoft/resnet-50"));
        c.put(model("vit-tiny", "2", true, up));
        c.put(model("vit-tiny", "10", true, up));

        assertThat(c.find("", "").orElseThrow().name()).isEqualTo("microsoft/resnet-50");
        assertThat(c.find("RESNET-50", "").orElseThrow().name()).isEqualTo("microsoft/resnet-50");
        assertThat(c.find("@CF/microsoft/resnet-50", "").orElseThrow().name()).isEqualTo("microsoft/resnet-50");
        assertThat(c.byAlias("@cf/microsoft/resnet-50").orElseThrow().name()).isEqualTo("microsoft/resnet-50");
        assertThat(c.byAlias("resnet-50")).as("Cloudflare's route matches aliases only").isEmpty();
        assertThat(c.find("vit-tiny", "").orElseThrow().version()).as("10 is newer than 2 (numbers, not text)").isEqualTo("10");
        assertThat(c.find("vit-tiny", "2").orElseThrow().version()).isEqualTo("2");
        assertThat(c.find("vit-tiny", "3")).isEmpty();
        assertThat(c.find("mobilenet", "")).isEmpty();
        assertThat(c.describe()).isEqualTo("'microsoft/resnet-50' (version 1), 'vit-tiny' (versions 2, 10)");
    }

    @Test
    void aFullNameWinsOverAnotherModelsShortName() {
        AtomicBoolean up = new AtomicBoolean(true);
        ModelCatalog c = new ModelCatalog();
        c.put(model("a/resnet-50", "1", true, up));
        c.put(model("resnet-50", "1", true, up));
        assertThat(c.find("resnet-50", "").orElseThrow().name()).isEqualTo("resnet-50");
        assertThat(c.find("a/resnet-50", "").orElseThrow().name()).isEqualTo("a/resnet-50");
    }

    @Test
    void readyWhenEveryRequiredModelIsReadyWhateverTheOthers() {
        AtomicBoolean required = new AtomicBoolean(false);
        AtomicBoolean optional = new AtomicBoolean(false);
        ModelCatalog c = new ModelCatalog();
        assertThat(c.ready()).as("nothing served").isFalse();
        c.put(model("a", "1", true, required));
        c.put(model("b", "1", false, optional));
        assertThat(c.ready()).isFalse();
        required.set(true);
        assertThat(c.ready()).as("b is not required").isTrue();
    }

    @Test
    void replacingAVersionKeepsItsPlaceAndRemovingReturnsWhatWasServedAndFailuresAreListedUntilServed() {
        AtomicBoolean up = new AtomicBoolean(true);
        ModelCatalog c = new ModelCatalog();
        c.put(model("a", "1", true, up));
        c.put(model("b", "1", true, up));
        c.failed("c", "1", "no model.onnx");
        assertThat(c.unavailable()).containsExactly(new ModelCatalog.Unavailable("c", "1", "no model.onnx"));
        ServedModel a2 = model("a", "1", true, up, "x");
        c.put(a2);
        assertThat(c.defaultModel().orElseThrow()).isSameAs(a2);
        assertThat(c.remove("b", "1")).isPresent();
        assertThat(c.remove("b", "1")).isEmpty();
        c.put(model("c", "1", true, up));
        assertThat(c.unavailable()).isEmpty();
        assertThat(c.models()).extracting(ServedModel::name).containsExactly("a", "c");
    }

    @Test
    void aNewVersionOfTheDefaultModelKeepsItTheDefaultWhenTheOldVersionGoes() {
        AtomicBoolean up = new AtomicBoolean(true);
        ModelCatalog c = new ModelCatalog();
        c.put(model("a", "1", true, up));
        c.put(model("b", "1", true, up));
        c.put(model("a", "2", true, up));
        c.remove("a", "1");
        assertThat(c.models()).extracting(m -> m.name() + m.version()).containsExactly("a2", "b1");
        assertThat(c.find("", "").orElseThrow().name()).isEqualTo("a");
    }
}
