package dev.argus.imageio;

import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.ResizeMode;

/**
 * Where an image of a given size goes: the size it is resized to and the part of that which becomes the model input.
 */
record ResizePlan(int resizedWidth, int resizedHeight, int cropX, int cropY, int cropWidth, int cropHeight) {

    /**
     * Hugging Face's rule for {@code SHORT_SIDE_THEN_CENTER_CROP}: the short side becomes {@code resizeShortSide}, the
     * long side {@code int(resizeShortSide * long / short)} (Python true division, truncated); then the centred crop
     * with top {@code (H - h) // 2}, left {@code (W - w) // 2}. {@code STRETCH} resizes straight to the input size.
     */
    static ResizePlan of(PreprocessSpec spec, int width, int height) {
        int w = spec.inputWidth(), h = spec.inputHeight();
        if (spec.resizeMode() == ResizeMode.STRETCH) {
            return new ResizePlan(w, h, 0, 0, w, h);
        }
        int target = spec.resizeShortSide();
        int resizedWidth, resizedHeight;
        if (width <= height) {
            resizedWidth = target;
            resizedHeight = longSide(target, height, width);
        } else {
            resizedWidth = longSide(target, width, height);
            resizedHeight = target;
        }
        return new ResizePlan(resizedWidth, resizedHeight, (resizedWidth - w) / 2, (resizedHeight - h) / 2, w, h);
    }

    private static int longSide(int target, int longSide, int shortSide) {
        if (shortSide == target) {
            return longSide;
        }
        // Exact integer product, one correctly rounded division, truncation: Python's int(a * b / c).
        double value = (double) ((long) target * longSide) / shortSide;
        if (value > Integer.MAX_VALUE - 8) {
            throw dev.argus.domain.ArgusException.invalidInput("The image is too elongated to resize: " + longSide + "x" + shortSide + ".");
        }
        return (int) value;
    }
}
