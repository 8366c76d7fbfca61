package dev.argus.domain;

import java.util.List;
import java.util.Objects;

/**
 * The answer for one image: classes best first, which backend and model answered, and where the time went.
 */
public record ClassificationResult(List<Classification> classifications, String backend, String model, Timings timings) {
    public ClassificationResult {
        classifications = List.copyOf(classifications);
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timings, "timings");
    }

    public Classification top() {
        return classifications.get(0);
    }
}
