package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;
import java.util.Arrays;
import java.util.List;

/**
 * What the TensorRT backend can run, checked on the parsed network before a build (so a model it cannot serve is
 * refused in seconds, not after a build of minutes that would then be cached) and again on a deserialised engine: one
 * float32 input {@code [N, ...]} whose only dynamic dimension is the batch, one float32 output {@code [N, ...]} whose
 * dimensions after the batch are fixed once the batch is. An output TensorRT can only size after the input shape is
 * set (e.g. {@code [-1, -1]} after a Reshape) is resolved through an execution context: {@link #resolveOutput}.
 */
final class ModelIo {
    /** TensorRT's {@code DataType::kFLOAT}. */
    static final int FLOAT = 0;

    /** An input or output tensor as TensorRT reports it; {@code -1} marks a dynamic dimension. */
    record Tensor(String name, boolean input, int dataType, String typeName, long[] dims) {
        @Override
        public String toString() {
            return name + " " + typeName + " " + Arrays.toString(dims);
        }
    }

    private ModelIo() {
    }

    /**
     * The one input and one output of {@code where} ("model x.onnx", "cached engine"), with their shapes after the
     * batch; fails with {@code MODEL_UNAVAILABLE} (or {@code CONFIGURATION} for a fixed batch that the profile does
     * not match) saying what is wrong.
     */
    static TensorIo validate(List<Tensor> tensors, int minBatch, int maxBatch, String where) {
        List<Tensor> inputs = tensors.stream().filter(Tensor::input).toList();
        List<Tensor> outputs = tensors.stream().filter(t -> !t.input()).toList();
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw ArgusException.modelUnavailable("The TensorRT backend runs models with one input and one output; " + where
                    + " has inputs " + inputs + " and outputs " + outputs + ". Export the model with a single output (the logits).", null);
        }
        Tensor in = inputs.get(0);
        Tensor out = outputs.get(0);
        for (Tensor t : List.of(in, out)) {
            if (t.dataType() != FLOAT) {
                throw ArgusException.modelUnavailable("The " + (t.input() ? "input" : "output") + " of " + where + " is " + t
                        + "; Argus exchanges float32 tensors (export FP16 models with float32 inputs and outputs).", null);
            }
            if (t.dims().length < 2) {
                throw ArgusException.modelUnavailable("The " + (t.input() ? "input" : "output") + " of " + where + " is " + t
                        + "; Argus needs a batch dimension first and the sample's dimensions after it, e.g. [-1, 3, 224, 224].", null);
            }
            for (int i = 1; i < t.dims().length; i++) {
                // An output dimension TensorRT cannot tell before the input shape is set (a Reshape to [N, -1]) is
                // resolved later, by an execution context (resolveOutput); the input's must be fixed.
                if (t.dims()[i] == 0 || t.dims()[i] < -1 || (t.input() && t.dims()[i] < 0)) {
                    throw ArgusException.modelUnavailable("The " + (t.input() ? "input" : "output") + " of " + where + " is " + t
                            + ": only the batch dimension (the first) may be dynamic, and no dimension may be empty. Export"
                            + " the model with fixed sample dimensions, e.g. [-1, 3, 224, 224].", null);
                }
            }
        }
        perSample(in.dims(), maxBatch, where);
        long batch = in.dims()[0];
        if (batch > 0 && (minBatch != batch || maxBatch != batch)) {
            throw ArgusException.configuration("The batch dimension of " + where + " is fixed at " + batch
                    + "; set the TensorRT batch profile to " + batch + "/" + batch + "/" + batch + " or export the model with a dynamic batch.");
        }
        long outBatch = out.dims()[0];
        if (outBatch > 0 && (batch < 0 || outBatch != batch)) {
            throw ArgusException.modelUnavailable("The output of " + where + " is " + out + " but its input is " + in
                    + ": the output's first dimension must be the batch.", null);
        }
        return new TensorIo(in.name(), Arrays.copyOfRange(in.dims(), 1, in.dims().length),
                out.name(), Arrays.copyOfRange(out.dims(), 1, out.dims().length));
    }

    /** Whether the output's sample shape is known; if not, {@link #resolveOutput} completes it. */
    static boolean outputResolved(TensorIo io) {
        return Arrays.stream(io.outputSampleShape()).allMatch(d -> d > 0);
    }

    /**
     * {@code io} with the output's sample shape an execution context reported for a batch of {@code batch} (after
     * {@code setInputShape}), which must be {@code [batch, d1, ...]} with every {@code d} fixed, agreeing with the
     * dimensions the engine already knew, and small enough for the largest batch.
     */
    static TensorIo resolveOutput(TensorIo io, long[] reported, int batch, int maxBatch, String where) {
        long[] known = io.outputSampleShape();
        boolean ok = reported.length == known.length + 1 && reported[0] == batch;
        for (int i = 0; ok && i < known.length; i++) {
            long d = reported[i + 1];
            ok = d > 0 && (known[i] < 0 || known[i] == d);
        }
        if (!ok) {
            throw ArgusException.modelUnavailable("The output '" + io.outputName() + "' of " + where + " is "
                    + Arrays.toString(reported) + " for a batch of " + batch + "; Argus needs [" + batch
                    + ", fixed dimensions...] (the engine declares [N, " + Arrays.toString(known).replaceAll("[\\[\\]]", "") + "]).", null);
        }
        long[] sample = Arrays.copyOfRange(reported, 1, reported.length);
        long[] full = new long[reported.length];
        full[0] = -1;
        System.arraycopy(sample, 0, full, 1, sample.length);
        perSample(full, maxBatch, where);
        return new TensorIo(io.inputName(), io.sampleShape(), io.outputName(), sample);
    }

    /** Values per sample; fails when {@code maxBatch} samples would not fit a Java array (2^31 - 1 values). */
    private static long perSample(long[] dims, int maxBatch, String where) {
        long n = 1;
        try {
            for (int i = 1; i < dims.length; i++) {
                n = Math.multiplyExact(n, dims[i]);
            }
            if (Math.multiplyExact(n, (long) maxBatch) > Integer.MAX_VALUE) {
                throw new ArithmeticException();
            }
        } catch (ArithmeticException e) {
            throw ArgusException.modelUnavailable("A batch of " + maxBatch + " of " + Arrays.toString(dims) + " in " + where
                    + " is more than 2^31 values; lower argus.tensorrt.max-batch.", null);
        }
        return n;
    }
}
