package dev.argus.domain;

/** How an image is brought to the model's input size. */
public enum ResizeMode {
    /**
     * Resize so the short side equals {@code resizeShortSide} (long side truncated, aspect kept), then take a centred
     * crop of the input size. What Hugging Face's ResNet processor (crop_pct 0.875) and torchvision do.
     */
    SHORT_SIDE_THEN_CENTER_CROP,
    /** Resize both sides straight to the input size, ignoring aspect ratio. */
    STRETCH
}
