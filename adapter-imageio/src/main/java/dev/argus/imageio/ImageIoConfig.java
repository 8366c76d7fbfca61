package dev.argus.imageio;

import dev.argus.domain.ArgusException;

/**
 * Settings of the ImageIO preprocessor. Immutable, validated on construction.
 *
 * @param maxPixels             largest image (width x height, read from the header before any pixel is allocated)
 *                              that is decoded; larger ones are refused with {@code INPUT_TOO_LARGE}
 * @param applyExifOrientation  turn the image upright per its EXIF orientation tag first, as Hugging Face's pipeline
 *                              ({@code ImageOps.exif_transpose}) does
 * @param ignoreIccProfile      decode JPEGs without applying their embedded ICC profile, as PIL (and so the model's
 *                              own preprocessing) does; {@code false} converts to sRGB with the profile (slower, and
 *                              no longer what the model was trained with)
 */
public record ImageIoConfig(long maxPixels, boolean applyExifOrientation, boolean ignoreIccProfile) {
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** Keeps every byte offset of a decoded image (up to 4 bytes a pixel) within an int. */
    public static final long MAX_MAX_PIXELS = 400_000_000L;

    public ImageIoConfig {
        if (maxPixels < 1 || maxPixels > MAX_MAX_PIXELS) {
            throw ArgusException.configuration("imageio maxPixels must be 1.." + MAX_MAX_PIXELS + ", got " + maxPixels);
        }
    }

    /** 50 megapixels, EXIF orientation applied, ICC profiles ignored: what the model's own preprocessing does. */
    public static ImageIoConfig defaults() {
        return new ImageIoConfig(DEFAULT_MAX_PIXELS, true, true);
    }

    public ImageIoConfig withMaxPixels(long value) {
        return new ImageIoConfig(value, applyExifOrientation, ignoreIccProfile);
    }

    public ImageIoConfig withApplyExifOrientation(boolean value) {
        return new ImageIoConfig(maxPixels, value, ignoreIccProfile);
    }

    public ImageIoConfig withIgnoreIccProfile(boolean value) {
        return new ImageIoConfig(maxPixels, applyExifOrientation, value);
    }
}
