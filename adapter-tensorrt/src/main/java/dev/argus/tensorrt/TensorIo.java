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
}
