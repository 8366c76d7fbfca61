package dev.argus.imageio;

import dev.argus.domain.ChannelOrder;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;

/** Specs for tests: "raw" ones (scale 1, mean 0, std 1) make the output the 8-bit pixel values themselves. */
final class Specs {
    private Specs() {
    }

    static PreprocessSpec raw(int width, int height, ResizeMode mode, int shortSide, ChannelOrder order, TensorLayout layout) {
        return new PreprocessSpec(width, height, mode, shortSide, 1f, new float[] {0, 0, 0}, new float[] {1, 1, 1},
                order, layout);
    }

    /** Resize straight to {@code width x height}, raw values, RGB, NCHW. */
    static PreprocessSpec rawStretch(int width, int height) {
        return raw(width, height, ResizeMode.STRETCH, 0, ChannelOrder.RGB, TensorLayout.NCHW);
    }
}
