package dev.argus.ports.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major order, the currency of {@link dev.argus.ports.out.InferenceEngine} and of
 * {@link dev.argus.ports.in.InferTensorUseCase}. The data array is not copied.
 *
 * @param shape dimensions, the first being the batch size
 * @param data  the values, {@code product(shape)} of them
 */
public record FloatTensor(long[] shape, float[] data) {
    public FloatTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    public int batchSize() {
        return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** Values per batch element. */
    public int rowLength() {
        return batchSize() == 0 ? 0 : data.length / batchSize();
    }

    /** Copies out one batch element. */
    public float[] row(int i) {
        int len = rowLength();
        return Arrays.copyOfRange(data, i * len, (i + 1) * len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
