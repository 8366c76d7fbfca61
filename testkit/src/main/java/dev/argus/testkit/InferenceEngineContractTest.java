package dev.argus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every tensor-level engine passes, on the generated ResNet-50 and the probe model in the engine's own
 * format: PyTorch's logits reproduced (its float64 computation, so the bound holds for any float32 engine on any CPU),
 * batches equal to single calls, designed classes from the probe, clear errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class InferenceEngineContractTest {
    /** Largest |logit difference| tolerated against PyTorch's output computed in float64. */
    protected static final double LOGIT_TOLERANCE = 1e-4;

    private InferenceEngine resnet;

    /** The generated ResNet-50 in this engine's format. */
    protected abstract Path resnet50Model();

    /** The probe model in this engine's format. */
    protected abstract Path probeModel();

    /** Opens an engine on a model file. */
    protected abstract InferenceEngine open(Path model);

    @BeforeAll
    void openResnet() {
        resnet = open(resnet50Model());
    }

    @AfterAll
    void closeResnet() {
        if (resnet != null) {
            resnet.close();
        }
    }

    @Test
    void reproducesPyTorchLogitsOnTheGeneratedResNet50() {
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        double[] expected = Tensors.resnet50ReferenceLogits();
        FloatTensor out = resnet.infer(new FloatTensor(new long[] {2, 3, 224, 224}, input));
        assertThat(out.shape()).containsExactly(2, 1000);
        assertThat(Tensors.maxAbsDiff(out.data(), expected)).isLessThan(LOGIT_TOLERANCE);
    }

    @Test
    void batchOfEightMatchesEightSingleCalls() {
        Random r = new Random(42);
        int per = 3 * 224 * 224;
        float[] batch = new float[8 * per];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (float) r.nextGaussian();
        }
        FloatTensor all = resnet.infer(new FloatTensor(new long[] {8, 3, 224, 224}, batch));
        assertThat(all.shape()).containsExactly(8, 1000);
        for (int i = 0; i < 8; i++) {
            float[] one = Arrays.copyOfRange(batch, i * per, (i + 1) * per);
            FloatTensor single = resnet.infer(new FloatTensor(new long[] {1, 3, 224, 224}, one));
            assertThat(Tensors.maxAbsDiff(single.data(), all.row(i))).as("image %d", i).isLessThan(LOGIT_TOLERANCE);
        }
    }

    @Test
    void probeGivesTheDesignedClassForSolidColours() {
        List<float[]> tensors = new ArrayList<>();
        List<ProbeCase> solids = new ArrayList<>();
        for (ProbeCase c : ProbeCase.all()) {
            solidColour(c).ifPresent(rgb -> {
                solids.add(c);
                tensors.add(Tensors.solidNchw(rgb, 224));
            });
        }
        assertThat(solids).as("probe cases with a solid colour").hasSizeGreaterThanOrEqualTo(3);
        try (InferenceEngine probe = open(probeModel())) {
            int per = 3 * 224 * 224;
            float[] batch = new float[solids.size() * per];
            for (int i = 0; i < solids.size(); i++) {
                System.arraycopy(tensors.get(i), 0, batch, i * per, per);
            }
            FloatTensor out = probe.infer(new FloatTensor(new long[] {solids.size(), 3, 224, 224}, batch));
            for (int i = 0; i < solids.size(); i++) {
                assertThat(Tensors.argmax(out.data(), i * 1000, 1000)).as(solids.get(i).toString())
                        .isEqualTo(solids.get(i).expectedClass());
            }
        }
    }

    @Test
    void refusesATensorOfTheWrongShapeClearly() {
        FloatTensor wrong = new FloatTensor(new long[] {1, 4, 224, 224}, new float[4 * 224 * 224]);
        assertThatThrownBy(() -> resnet.infer(wrong))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("shape");
    }

    @Test
    void describesItself() {
        assertThat(resnet.describe()).isNotBlank();
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() {
        InferenceEngine engine = open(probeModel());
        engine.close();
        engine.close();
        assertThatThrownBy(() -> engine.infer(new FloatTensor(new long[] {1, 3, 224, 224}, new float[3 * 224 * 224])))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("closed");
    }

    private static java.util.Optional<Integer> solidColour(ProbeCase c) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.bytes()));
            if (img == null || !c.name().endsWith(".png")) {
                return java.util.Optional.empty();
            }
            int first = img.getRGB(0, 0) & 0xffffff;
            for (int y = 0; y < img.getHeight(); y += 7) {
                for (int x = 0; x < img.getWidth(); x += 7) {
                    if ((img.getRGB(x, y) & 0xffffff) != first) {
                        return java.util.Optional.empty();
                    }
                }
            }
            return java.util.Optional.of(first);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
