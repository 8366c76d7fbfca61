package dev.argus.domain;

/**
 * Limits applied to every input before any decoding work is done. (The pixel limit against decompression bombs
 * belongs to the decoder, which reads it from its own configuration.)
 *
 * @param maxBytes largest encoded file accepted, in bytes (default 10 MiB)
 */
public record InputLimits(long maxBytes) {
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    public InputLimits {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw ArgusException.configuration("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 8) + ", got " + maxBytes);
        }
    }

    public static InputLimits defaults() {
        return new InputLimits(DEFAULT_MAX_BYTES);
    }
}
