package dev.argus.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import dev.argus.domain.ArgusException;
import dev.argus.domain.TensorLayout;
import dev.argus.ports.model.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What Argus knows about a loaded model's input and output: read from the model where it describes itself
 * (a SavedModel's signature), from the configuration where it does not (TorchScript), and checked by a dry run.
 */
final class ModelSignature {
    private final String inputName;
    private final long[] inputShape;
    private final String outputName;
    private final int outputIndex;
    private final long classes;

    private ModelSignature(String inputName, long[] inputShape, String outputName, int outputIndex, long classes) {
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.outputName = outputName;
        this.outputIndex = outputIndex;
        this.classes = classes;
    }

    /** Reads the model's description, reconciles it with the configuration and runs one zero image through it. */
    static ModelSignature probe(DjlModel spec, Model model) {
        long[] item = DjlInferenceEngine.expectedItemShape(spec.layout(), spec.inputSize());
        String in = spec.inputName();
        long[] shape = concat(-1, item);
        PairList<String, Shape> inputs = describe(model);
        if (inputs != null && !inputs.isEmpty()) {
            in = pick("input", spec.inputName(), inputs.keys());
            long[] declared = inputs.get(in).getShape();
            shape = reconcile(spec, in, declared, shape);
        }
        long[] dry = shape.clone();
        for (int i = 0; i < dry.length; i++) {
            dry[i] = dry[i] < 0 ? 1 : dry[i];
        }
        float[] zeros = new float[(int) Arrays.stream(dry).reduce(1, (a, b) -> a * b)];
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList out;
            try {
                out = DjlInferenceEngine.forward(model, in, manager, new FloatTensor(dry, zeros));
            } catch (RuntimeException e) {
                throw ArgusException.modelUnavailable("The model " + spec.path() + " fails on a zero input of shape "
                        + Arrays.toString(dry) + " (" + spec.layout() + ", " + spec.inputSize() + "x" + spec.inputSize()
                        + "): " + DjlEnvironment.rootMessage(e) + ". Check argus.model.layout and argus.model.input-size "
                        + "against the model.", e);
            }
            out.attach(manager);
            int index = pickOutput(spec, out);
            long[] logits = out.get(index).getShape().getShape();
            if (logits.length != 2 || logits[0] != dry[0]) {
                throw ArgusException.modelUnavailable("The model's output " + index + " has shape " + Arrays.toString(logits)
                        + " for a batch of " + dry[0] + "; Argus needs logits [N, classes]. Name the logits output "
                        + "with argus.model.output-name.", null);
            }
            String name = out.get(index).getName();
            return new ModelSignature(in, shape, name == null ? "" : name, index, logits[1]);
        }
    }

    private static PairList<String, Shape> describe(Model model) {
        try {
            return model.getBlock().describeInput();
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return null;
        }
    }

    private static long[] reconcile(DjlModel spec, String name, long[] declared, long[] wanted) {
        boolean fits = declared.length == wanted.length;
        for (int i = 1; fits && i < declared.length; i++) {
            fits = declared[i] < 0 || declared[i] == wanted[i];
        }
        if (!fits) {
            String hint = "";
            long[] other = concat(-1, DjlInferenceEngine.expectedItemShape(
                    spec.layout() == TensorLayout.NCHW ? TensorLayout.NHWC : TensorLayout.NCHW, spec.inputSize()));
            if (declared.length == 4 && Arrays.equals(Arrays.copyOfRange(declared, 1, 4), Arrays.copyOfRange(other, 1, 4))) {
                hint = " The model takes " + (spec.layout() == TensorLayout.NCHW ? "NHWC" : "NCHW")
                        + ": set argus.model.layout accordingly.";
            }
            throw ArgusException.modelUnavailable("The model's input '" + name + "' has shape " + Arrays.toString(declared)
                    + ", the configuration describes " + Arrays.toString(wanted) + " (" + spec.layout() + ", "
                    + spec.inputSize() + "x" + spec.inputSize() + ")." + hint, null);
        }
        long[] merged = wanted.clone();
        merged[0] = declared.length > 0 ? declared[0] : -1;
        return merged;
    }

    private static int pickOutput(DjlModel spec, NDList out) {
        if (out.isEmpty()) {
            throw ArgusException.modelUnavailable("The model " + spec.path() + " returns no tensors.", null);
        }
        List<String> names = new ArrayList<>();
        for (NDArray a : out) {
            names.add(a.getName() == null ? "" : a.getName());
        }
        String wanted = spec.outputName();
        if (wanted.isEmpty()) {
            return 0;
        }
        int i = names.indexOf(wanted);
        if (i >= 0) {
            return i;
        }
        if (names.stream().allMatch(String::isEmpty) && out.size() == 1) {
            return 0; // TorchScript: tensors carry no names; its only output is the one asked for
        }
        throw ArgusException.modelUnavailable("The model has no output named '" + wanted + "'; its outputs are "
                + names + ". Fix the model description (argus.model.output-name).", null);
    }

    private static String pick(String what, String wanted, List<String> available) {
        if (wanted.isEmpty()) {
            if (available.size() != 1) {
                throw ArgusException.modelUnavailable("The model has " + available.size() + " " + what + "s " + available
                        + "; name the image " + what + " with argus.model." + what + "-name.", null);
            }
            return available.get(0);
        }
        if (!available.contains(wanted)) {
            throw ArgusException.modelUnavailable("The model has no " + what + " named '" + wanted + "'; its "
                    + what + "s are " + available + ". Fix the model description (argus.model." + what + "-name).", null);
        }
        return wanted;
    }

    private static long[] concat(long first, long[] rest) {
        long[] r = new long[rest.length + 1];
        r[0] = first;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    void checkInput(long[] shape) {
        boolean ok = shape.length == inputShape.length && shape.length > 0 && shape[0] >= 1;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = inputShape[i] < 0 || inputShape[i] == shape[i];
        }
        if (!ok) {
            throw ArgusException.invalidInput("input shape " + Arrays.toString(shape) + " does not match the model's "
                    + Arrays.toString(inputShape) + " (-1 = any)");
        }
    }

    NDArray selectOutput(NDList out) {
        if (outputIndex >= out.size()) {
            throw ArgusException.inferenceFailed("the model returned " + out.size() + " outputs, expected at least "
                    + (outputIndex + 1), null);
        }
        return out.get(outputIndex);
    }

    String inputName() {
        return inputName;
    }

    long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public String toString() {
        return (inputName.isEmpty() ? "input" : inputName) + " " + Arrays.toString(inputShape) + " -> "
                + (outputName.isEmpty() ? "output " + outputIndex : outputName) + " [N, " + classes + "]";
    }
}
