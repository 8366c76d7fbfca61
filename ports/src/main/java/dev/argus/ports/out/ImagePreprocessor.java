package dev.argus.ports.out;

import dev.argus.domain.Deadline;
import dev.argus.domain.PreprocessSpec;

/**
 * Turns an encoded image file into the tensor a model expects: decode, orient, resize, crop, scale, normalise, lay
 * out.
 */
public interface ImagePreprocessor {

    /**
     * Decodes {@code encoded} and writes {@code spec.valuesPerImage()} floats into {@code dst} from {@code offset}:
     * every one of them, as {@code dst} may be a reused buffer holding another image's values.
     *
     * @throws dev.argus.domain.ArgusException {@code INVALID_INPUT} for files that are not images, truncated or
     *                                         unsupported; {@code INPUT_TOO_LARGE} for images over the pixel limit
     *                                         (refused before pixels are allocated)
     */
    void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset);

    /**
     * As {@link #preprocess(byte[], PreprocessSpec, float[], int)}, given up once {@code deadline} passes: a decode in
     * progress stops (with the deadline's {@code TIMEOUT}) rather than running to its end for a caller that has gone.
     * Implementations that cannot stop a decode check the deadline before it.
     */
    default void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset, Deadline deadline) {
        deadline.check();
        preprocess(encoded, spec, dst, offset);
    }

    /** Convenience: preprocess into a new array. */
    default float[] preprocess(byte[] encoded, PreprocessSpec spec) {
        float[] out = new float[spec.valuesPerImage()];
        preprocess(encoded, spec, out, 0);
        return out;
    }
}
