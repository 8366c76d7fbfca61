package dev.argus.domain;

import java.util.Objects;

/**
 * One class and its softmax probability.
 *
 * @param label      the class name in the requested {@link LabelStyle}
 * @param score      softmax probability in [0, 1]
 * @param classIndex index of the class in the model's label set (0-based), or -1 when a remote backend did not say
 */
public record Classification(String label, double score, int classIndex) {
    public Classification {
        Objects.requireNonNull(label, "label");
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        if (classIndex < -1) {
            throw new IllegalArgumentException("classIndex must be >= -1, got " + classIndex);
        }
    }
}
