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
 * @param decodeMemoryBytes     heap all decodes together may hold, priced from each header in bytes; a decode that
 *                              does not fit waits, one that never could is refused with {@code INPUT_TOO_LARGE}
 * @param decodeWaitMillis      how long a decode waits for memory before failing with {@code OVERLOADED}
 */
public record ImageIoConfig(long maxPixels, boolean applyExifOrientation, boolean ignoreIccProfile, long decodeMemoryBytes,
                            long decodeWaitMillis) {
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** Keeps every byte offset of a decoded image (up to 4 bytes a pixel) within an int. */
    public static final long MAX_MAX_PIXELS = 400_000_000L;
    /** Share of the JVM's maximum heap that decodes may hold by default. */
    public static final double DEFAULT_DECODE_HEAP_SHARE = 0.35;
    public static final long DEFAULT_DECODE_WAIT_MILLIS = 30_000;
    /** The least decode memory that can be configured: 16 MiB. */
    public static final long MIN_DECODE_MEMORY = 16L << 20;

    public ImageIoConfig {
        if (maxPixels < 1 || maxPixels > MAX_MAX_PIXELS) {
            throw ArgusException.configuration("imageio maxPixels must be 1.." + MAX_MAX_PIXELS + ", got " + maxPixels);
        }
        if (decodeMemoryBytes < MIN_DECODE_MEMORY) {
            throw ArgusException.configuration("imageio decode memory must be at least " + MIN_DECODE_MEMORY + " bytes (16 MiB), got "
                    + decodeMemoryBytes);
        }
        if (decodeWaitMillis < 0) {
            throw ArgusException.configuration("imageio decode wait must be >= 0 ms, got " + decodeWaitMillis);
        }
    }

    public ImageIoConfig(long maxPixels, boolean applyExifOrientation, boolean ignoreIccProfile) {
        this(maxPixels, applyExifOrientation, ignoreIccProfile, defaultDecodeMemoryBytes(), DEFAULT_DECODE_WAIT_MILLIS);
    }

    /**
     * 50 megapixels, EXIF orientation applied, ICC profiles ignored (what the model's own preprocessing does), decodes
     * holding at most 35% of the maximum heap at once and waiting up to 30 s for it.
     */
    public static ImageIoConfig defaults() {
        return new ImageIoConfig(DEFAULT_MAX_PIXELS, true, true);
    }

    /** 35% of this JVM's maximum heap (-Xmx, or the container-aware default), at least 16 MiB. */
    public static long defaultDecodeMemoryBytes() {
        return Math.max(MIN_DECODE_MEMORY, (long) (Runtime.getRuntime().maxMemory() * DEFAULT_DECODE_HEAP_SHARE));
    }

    public ImageIoConfig withMaxPixels(long value) {
        return new ImageIoConfig(value, applyExifOrientation, ignoreIccProfile, decodeMemoryBytes, decodeWaitMillis);
    }

    public ImageIoConfig withApplyExifOrientation(boolean value) {
        return new ImageIoConfig(maxPixels, value, ignoreIccProfile, decodeMemoryBytes, decodeWaitMillis);
    }

    public ImageIoConfig withIgnoreIccProfile(boolean value) {
        return new ImageIoConfig(maxPixels, applyExifOrientation, value, decodeMemoryBytes, decodeWaitMillis);
    }

    public ImageIoConfig withDecodeMemory(long bytes, long waitMillis) {
        return new ImageIoConfig(maxPixels, applyExifOrientation, ignoreIccProfile, bytes, waitMillis);
    }
}
