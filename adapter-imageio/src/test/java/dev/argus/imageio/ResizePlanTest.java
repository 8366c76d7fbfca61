package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.PreprocessSpec;
import org.junit.jupiter.api.Test;

class ResizePlanTest {
    private final PreprocessSpec resnet = PreprocessSpec.resnet50();

    @Test
    void resizesTheShortSideTo256AndTruncatesTheLongSide() {
        assertThat(ResizePlan.of(resnet, 640, 480)).isEqualTo(new ResizePlan(341, 256, 58, 16, 224, 224));
        assertThat(ResizePlan.of(resnet, 480, 640)).isEqualTo(new ResizePlan(256, 341, 16, 58, 224, 224));
        assertThat(ResizePlan.of(resnet, 1352, 900)).isEqualTo(new ResizePlan(384, 256, 80, 16, 224, 224)); // 384.56
        assertThat(ResizePlan.of(resnet, 500, 500)).isEqualTo(new ResizePlan(256, 256, 16, 16, 224, 224));
    }

    @Test
    void keepsImagesWhoseShortSideIsAlready256() {
        assertThat(ResizePlan.of(resnet, 300, 256)).isEqualTo(new ResizePlan(300, 256, 38, 16, 224, 224));
    }

    @Test
    void upscalesTinyAndThinImages() {
        assertThat(ResizePlan.of(resnet, 1, 1)).isEqualTo(new ResizePlan(256, 256, 16, 16, 224, 224));
        assertThat(ResizePlan.of(resnet, 7, 300)).isEqualTo(new ResizePlan(256, 10971, 16, 5373, 224, 224));
    }

    @Test
    void stretchesWithoutCropping() {
        assertThat(ResizePlan.of(Specs.rawStretch(299, 199), 640, 480)).isEqualTo(new ResizePlan(299, 199, 0, 0, 299, 199));
    }
}
