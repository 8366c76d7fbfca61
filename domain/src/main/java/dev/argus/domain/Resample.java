package dev.argus.domain;

import java.util.Optional;

/**
 * The resampling filter of a resize, as Pillow implements it (antialiased: when shrinking, the filter is stretched by
 * the scale). The numbers are Pillow's own ({@code Image.Resampling}), which Hugging Face processor configurations
 * store as {@code "resample"}.
 */
public enum Resample {
    /** Pillow's {@code BILINEAR} (2): a triangle filter of support 1. */
    BILINEAR(2, 1.0),
    /** Pillow's {@code BICUBIC} (3): Keys' cubic with a = -0.5, support 2. What microsoft/resnet-50 uses. */
    BICUBIC(3, 2.0);

    private final int pillowCode;
    private final double support;

    Resample(int pillowCode, double support) {
        this.pillowCode = pillowCode;
        this.support = support;
    }

    /** The number Pillow (and a Hugging Face {@code preprocessor_config.json}) uses for this filter. */
    public int pillowCode() {
        return pillowCode;
    }

    /** The filter's support in input pixels at scale 1. */
    public double support() {
        return support;
    }

    /** The filter Pillow numbers {@code code}, when Argus implements it. */
    public static Optional<Resample> fromPillowCode(int code) {
        for (Resample r : values()) {
            if (r.pillowCode == code) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Pillow's name of filter number {@code code} (0 NEAREST ... 5 HAMMING), for messages. */
    public static String pillowName(int code) {
        return switch (code) {
            case 0 -> "NEAREST";
            case 1 -> "LANCZOS";
            case 2 -> "BILINEAR";
            case 3 -> "BICUBIC";
            case 4 -> "BOX";
            case 5 -> "HAMMING";
            default -> "unknown filter " + code;
        };
    }
}
