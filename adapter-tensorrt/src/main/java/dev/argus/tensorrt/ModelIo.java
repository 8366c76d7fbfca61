package dev.argus.tensorrt;

import dev.argus.domain.ArgusException;
import java.util.Arrays;
import java.util.List;

/**
 * What the TensorRT backend can run, checked on the parsed network before a build (so a model it cannot serve is
 * refused in seconds, not after a build of minutes that would then be cached) and again on a deserialised engine: one
 * float32 input {@code [N, ...]} whose only dynamic dimension is the batch, one float32 output {@code [N, ...]} with
 * fixed dimensions after the batch.
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
                if (t.dims()[i] <= 0) {
                    throw ArgusException.modelUnavailable("The " + (t.input() ? "input" : "output") + " of " + where + " is " + t
                            + ": only the batch dimension (the first) may be dynamic. Export the model with fixed sample"
                            + " dimensions, e.g. [-1, 3, 224, 224].", null);
                }
            }
        }
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
}
