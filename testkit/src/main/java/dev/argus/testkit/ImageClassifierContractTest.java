package dev.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.out.ImageClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every image-level classifier backend passes: the same probe images, the same expectations. A backend
 * test extends this and builds its classifier on the probe model ({@link TestModels#probeOnnx()} or the same weights
 * in its own format).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ImageClassifierContractTest {
    private ImageClassifier shared;

    /** A new classifier on the probe model. Called once for most tests, and again for lifecycle tests. */
    protected abstract ImageClassifier newProbeClassifier();

    /** The backend name the classifier reports. */
    protected abstract String expectedBackend();

    /**
     * Whether the backend can return every class (top_k up to 1000). Remote APIs that answer a fixed top N (Cloudflare
     * returns its top 5) override this with false: they must then return what they have, never more than asked.
     */
    protected boolean returnsAllClasses() {
        return true;
    }

    @BeforeAll
    void openShared() {
        shared = newProbeClassifier();
    }

    @AfterAll
    void closeShared() {
        if (shared != null) {
            shared.close();
        }
    }

    protected ImageClassifier classifier() {
        return shared;
    }

    static List<ProbeCase> probeCases() {
        return ProbeCase.all();
    }

    private ClassificationResult one(byte[] image, ClassifyOptions options) {
        List<ClassificationOutcome> out = shared.classify(List.of(image), options);
        assertThat(out).hasSize(1);
        return out.get(0).orThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeCases")
    void givesTheDesignedClassForEachProbeImage(ProbeCase probe) {
        ClassificationResult r = one(probe.bytes(), ClassifyOptions.defaults());
        assertThat(r.top().classIndex()).as("top class for %s (%s)", probe.name(), probe.why()).isEqualTo(probe.expectedClass());
        assertThat(r.top().label()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        assertThat(r.top().score()).isGreaterThan(0.5);
    }

    @Test
    void returnsFiveSortedProbabilitiesByDefault() {
        ClassificationResult r = one(ProbeCase.all().get(0).bytes(), ClassifyOptions.defaults());
        List<Classification> c = r.classifications();
        assertThat(c).hasSize(5);
        for (int i = 1; i < c.size(); i++) {
            assertThat(c.get(i).score()).isLessThanOrEqualTo(c.get(i - 1).score());
        }
        assertThat(c).allSatisfy(x -> assertThat(x.score()).isBetween(0.0, 1.0));
        assertThat(c.stream().mapToDouble(Classification::score).sum()).isLessThanOrEqualTo(1.0 + 1e-6);
        assertThat(c.stream().map(Classification::classIndex).distinct()).hasSize(5);
    }

    @Test
    void honoursTopKUpToAllClasses() {
        byte[] image = ProbeCase.all().get(0).bytes();
        assertThat(one(image, ClassifyOptions.defaults().withTopK(1)).classifications()).hasSize(1);
        List<Classification> all = one(image, ClassifyOptions.defaults().withTopK(1000)).classifications();
        if (!returnsAllClasses()) {
            assertThat(all).isNotEmpty().hasSizeLessThan(1000);
            assertThat(one(image, ClassifyOptions.defaults().withTopK(2)).classifications()).hasSize(2);
            return;
        }
        assertThat(all).hasSize(1000);
        assertThat(all.stream().mapToDouble(Classification::score).sum()).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void writesLabelsInTheRequestedStyle() {
        ProbeCase probe = ProbeCase.all().get(0);
        ClassificationResult full = one(probe.bytes(), ClassifyOptions.defaults().withLabelStyle(LabelStyle.IMAGENET));
        ClassificationResult cf = one(probe.bytes(), ClassifyOptions.defaults());
        assertThat(full.top().label()).isEqualTo(probe.expectedLabel());
        assertThat(cf.top().label()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        for (Classification c : full.classifications()) {
            assertThat(c.label()).isEqualTo(LabelSet.imagenet1k().label(c.classIndex(), LabelStyle.IMAGENET));
        }
    }

    @Test
    void batchGivesTheSameAnswersAsSingleImagesInOrder() {
        List<ProbeCase> cases = ProbeCase.all();
        List<byte[]> images = new ArrayList<>();
        cases.forEach(c -> images.add(c.bytes()));
        List<ClassificationOutcome> batch = shared.classify(images, ClassifyOptions.defaults());
        assertThat(batch).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            ClassificationResult single = one(images.get(i), ClassifyOptions.defaults());
            ClassificationResult inBatch = batch.get(i).orThrow();
            assertThat(inBatch.top().classIndex()).isEqualTo(cases.get(i).expectedClass());
            assertThat(inBatch.top().classIndex()).isEqualTo(single.top().classIndex());
            // Rank by rank the scores agree; classes are compared by score, since runners-up may tie exactly (the
            // probe's do) and an engine's batch and single rounding may order a tie either way.
            Map<Integer, Double> singleScores = new HashMap<>();
            single.classifications().forEach(c -> singleScores.put(c.classIndex(), c.score()));
            for (int k = 0; k < single.classifications().size(); k++) {
                Classification b = inBatch.classifications().get(k);
                assertThat(b.score()).isCloseTo(single.classifications().get(k).score(), within(1e-5));
                if (singleScores.containsKey(b.classIndex())) {
                    assertThat(b.score()).isCloseTo(singleScores.get(b.classIndex()), within(1e-5));
                }
            }
        }
    }

    @Test
    void badImagesFailAloneInABatch() {
        byte[] good = ProbeCase.all().get(0).bytes();
        List<ClassificationOutcome> out = shared.classify(
                List.of(good, TestImages.textFile(), TestImages.truncatedJpeg(), TestImages.pngHeaderOnly(100_000, 100_000), good),
                ClassifyOptions.defaults());
        assertThat(out).hasSize(5);
        assertThat(out.get(0)).isInstanceOf(ClassificationOutcome.Success.class);
        assertThat(out.get(1)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThat(out.get(2)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThat(out.get(3)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE));
        assertThat(out.get(4)).isInstanceOf(ClassificationOutcome.Success.class);
        assertThat(out.get(4).orThrow().top().classIndex()).isEqualTo(out.get(0).orThrow().top().classIndex());
    }

    @Test
    void reportsWhatItServes() {
        assertThat(shared.info().backend()).isEqualTo(expectedBackend());
        assertThat(shared.info().labelCount()).isEqualTo(1000);
        assertThat(shared.info().model()).isNotBlank();
        ClassificationResult r = one(ProbeCase.all().get(0).bytes(), ClassifyOptions.defaults());
        assertThat(r.backend()).isEqualTo(expectedBackend());
        assertThat(r.model()).isEqualTo(shared.info().model());
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() {
        ImageClassifier c = newProbeClassifier();
        c.close();
        c.close();
        assertThatThrownBy(() -> c.classify(List.of(ProbeCase.all().get(0).bytes()), ClassifyOptions.defaults()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("closed");
    }
}
