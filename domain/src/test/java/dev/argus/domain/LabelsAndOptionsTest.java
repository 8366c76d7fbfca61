package dev.argus.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsAndOptionsTest {

    @Test
    void cloudflareStyleIsTheFirstSynonymUpperCased() {
        assertThat(LabelStyle.CLOUDFLARE.apply("Persian cat")).isEqualTo("PERSIAN CAT");
        assertThat(LabelStyle.CLOUDFLARE.apply("Pekinese, Pekingese, Peke")).isEqualTo("PEKINESE");
        assertThat(LabelStyle.CLOUDFLARE.apply("feather boa, boa")).isEqualTo("FEATHER BOA");
        assertThat(LabelStyle.IMAGENET.apply("feather boa, boa")).isEqualTo("feather boa, boa");
    }

    @Test
    void shipsTheThousandImagenetClassesInIndexOrder() {
        LabelSet l = LabelSet.imagenet1k();
        assertThat(l.size()).isEqualTo(1000);
        assertThat(l.label(0, LabelStyle.IMAGENET)).isEqualTo("tench, Tinca tinca");
        assertThat(l.label(283, LabelStyle.CLOUDFLARE)).isEqualTo("PERSIAN CAT");
        assertThat(l.label(999, LabelStyle.CLOUDFLARE)).isEqualTo("TOILET TISSUE");
        assertThatThrownBy(() -> l.label(1000, LabelStyle.IMAGENET)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void readsAModelsOwnLabelFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("labels.txt"), "cat, kitty\ndog\n\n");
        LabelSet l = LabelSet.fromFile(f);
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.label(0, LabelStyle.CLOUDFLARE)).isEqualTo("CAT");
    }

    @Test
    void topKMustBeBetweenOneAndAThousand() {
        assertThat(ClassifyOptions.defaults().topK()).isEqualTo(5);
        assertThat(ClassifyOptions.defaults().labelStyle()).isEqualTo(LabelStyle.CLOUDFLARE);
        assertThatThrownBy(() -> ClassifyOptions.defaults().withTopK(0)).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> ClassifyOptions.defaults().withTopK(1001)).hasMessageContaining("got 1001");
        assertThat(ClassifyOptions.defaults().withTopK(1000).topK()).isEqualTo(1000);
    }

    @Test
    void parsesLabelStylesAndNamesTheValidOnes() {
        assertThat(LabelStyle.parse("ImageNet")).isEqualTo(LabelStyle.IMAGENET);
        assertThat(LabelStyle.parse("cloudflare")).isEqualTo(LabelStyle.CLOUDFLARE);
        assertThatThrownBy(() -> LabelStyle.parse("short")).hasMessageContaining("'cloudflare' or 'imagenet'");
    }

    @Test
    void scoresOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> new Classification("X", 1.01, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Classification("X", Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resnet50SpecIsHuggingFacesPreprocessing() {
        PreprocessSpec s = PreprocessSpec.resnet50();
        assertThat(s.inputWidth()).isEqualTo(224);
        assertThat(s.resizeShortSide()).isEqualTo(256);
        assertThat(s.batchShape(8)).containsExactly(8, 3, 224, 224);
        assertThat(s.valuesPerImage()).isEqualTo(3 * 224 * 224);
        assertThatThrownBy(() -> new PreprocessSpec(224, 224, ResizeMode.SHORT_SIDE_THEN_CENTER_CROP, 200, 1f,
                new float[3], new float[] {1, 1, 1}, ChannelOrder.RGB, TensorLayout.NCHW)).hasMessageContaining("smaller than the crop");
        assertThatThrownBy(() -> new PreprocessSpec(224, 224, ResizeMode.STRETCH, 0, 1f,
                new float[3], new float[] {1, 0, 1}, ChannelOrder.RGB, TensorLayout.NCHW)).hasMessageContaining("std");
    }
}
