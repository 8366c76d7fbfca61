package dev.argus.tensorrt;

import java.util.Arrays;

/**
 * The engine's one input and one output.
 *
 * @param sampleShape input dimensions after the batch, e.g. {@code [3,224,224]}
 * @param outputSampleShape output dimensions after the batch, e.g. {@code [1000]}
 */
record TensorIo(String inputName, long[] sampleShape, String outputName, long[] outputSampleShape) {

    int inputPerSample() {
        return (int) Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    }

    int outputPerSample() {
        return (int) Arrays.stream(outputSampleShape).reduce(1, (a, b) -> a * b);
    }

    /**
     * Checks the output shape an execution context reports for a batch of {@code batch} (after
     * {@code setInputShape}): exactly {@code [batch, outputSampleShape...]}, so the output buffer, sized for that, is
     * what TensorRT writes. Anything else (a model that folds the batch into another dimension) fails here, before
     * TensorRT could write past the buffer.
     */
    void checkOutputShape(long[] reported, int batch) {
        long[] expected = new long[outputSampleShape.length + 1];
        expected[0] = batch;
        System.arraycopy(outputSampleShape, 0, expected, 1, outputSampleShape.length);
        if (!Arrays.equals(reported, expected)) {
            throw new IllegalStateException("TensorRT reports output '" + outputName + "' as " + Arrays.toString(reported)
                    + " for a batch of " + batch + ", expected " + Arrays.toString(expected));
        }
    }
}
