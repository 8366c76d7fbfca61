package dev.argus.onnxmodel.quant;

import dev.argus.onnxmodel.OnnxModelException;
import dev.argus.onnxmodel.OnnxModels;
import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes of a float model become int8 and which activation tensors get a QuantizeLinear/DequantizeLinear pair,
 * following the node units ONNX Runtime's CPU provider fuses into integer kernels: Conv (to QLinearConv), Gemm and
 * MatMul with a constant weight (to QGemm / QLinearMatMul) and Add (to QLinearAdd), each with its activation inputs
 * and its output quantized, a ReLU right after one of them folded into its output's quantization (the range starts at
 * 0), and MaxPool, Flatten, Reshape, Transpose, Squeeze and Unsqueeze passing int8 through with their input's scale.
 */
public final class QuantizationPlan {
    static final Set<String> PASS_THROUGH = Set.of("MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze");
    private static final Set<String> COMPUTE = Set.of("Conv", "Gemm", "MatMul");

    private final ModelProto model;
    private final QuantizationOptions options;
    private final List<NodeProto> quantized = new ArrayList<>();
    private final Set<String> activations = new LinkedHashSet<>();
    private final Map<String, String> tiedTo = new HashMap<>();
    private final Map<String, String> outputOf = new HashMap<>();
    private final List<String> keptFloat = new ArrayList<>();

    private QuantizationPlan(ModelProto model, QuantizationOptions options) {
        this.model = model;
        this.options = options;
    }

    /** The plan for {@code model}; fails for a model whose opset predates per-axis DequantizeLinear (13). */
    public static QuantizationPlan of(ModelProto model, QuantizationOptions options) {
        long opset = OnnxModels.defaultOpset(model);
        if (opset < 13) {
            throw new OnnxModelException("The model uses ONNX opset " + opset + "; int8 quantization with per-channel weights "
                    + "needs opset 13 or later (DequantizeLinear's axis). Export the model again with opset 13 or later.");
        }
        QuantizationPlan plan = new QuantizationPlan(model, options);
        plan.choose();
        return plan;
    }

    private void choose() {
        GraphProto g = model.getGraph();
        Map<String, TensorProto> init = initializers(g);
        Map<String, List<NodeProto>> readers = readers(g);
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));

        List<NodeProto> compute = g.getNodeList().stream().filter(n -> eligibleCompute(n, init)).toList();
        for (int i = 0; i < compute.size(); i++) {
            NodeProto n = compute.get(i);
            boolean keep = (options.keepFirst() && i == 0) || (options.keepLast() && i == compute.size() - 1)
                    || options.keeps(id(n));
            if (keep) {
                keptFloat.add(id(n));
            } else {
                quantize(n, List.of(n.getInput(0)), readers, graphOutputs);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Add") && n.getInputCount() == 2 && n.getDomain().isEmpty()
                    && !init.containsKey(n.getInput(0)) && !init.containsKey(n.getInput(1))
                    && (activations.contains(n.getInput(0)) || activations.contains(n.getInput(1)))
                    && !options.keeps(id(n))) {
                quantize(n, n.getInputList(), readers, graphOutputs);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            if (PASS_THROUGH.contains(n.getOpType()) && n.getDomain().isEmpty() && n.getOutputCount() == 1
                    && !init.containsKey(n.getInput(0)) && !graphOutputs.contains(n.getOutput(0))) {
                String in = n.getInput(0);
                String out = n.getOutput(0);
                if (activations.contains(in) || activations.contains(out)) {
                    activations.add(in);
                    activations.add(out);
                    tiedTo.put(out, in);
                }
            }
        }
    }

    private void quantize(NodeProto n, List<String> inputs, Map<String, List<NodeProto>> readers, Set<String> graphOutputs) {
        quantized.add(n);
        activations.addAll(inputs);
        String out = n.getOutput(0);
        List<NodeProto> next = readers.getOrDefault(out, List.of());
        if (next.size() == 1 && next.get(0).getOpType().equals("Relu") && !graphOutputs.contains(out)) {
            out = next.get(0).getOutput(0);
        }
        outputOf.put(id(n), out);
        if (!graphOutputs.contains(out)) {
            activations.add(out);
        }
    }

    private boolean eligibleCompute(NodeProto n, Map<String, TensorProto> init) {
        if (!COMPUTE.contains(n.getOpType()) || !n.getDomain().isEmpty() || n.getInputCount() < 2
                || init.containsKey(n.getInput(0))) {
            return false;
        }
        TensorProto w = init.get(n.getInput(1));
        if (w == null || w.getDataType() != OnnxTypes.FLOAT) {
            return false;
        }
        TensorProto bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? init.get(n.getInput(2)) : null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && (bias == null || bias.getDataType() != OnnxTypes.FLOAT
                || bias.getDimsCount() != 1 || bias.getDims(0) != w.getDims(weightAxis(n)))) {
            return false; // a bias that is computed, or broadcast from another shape: left in float
        }
        return switch (n.getOpType()) {
            case "Conv" -> w.getDimsCount() >= 3;
            case "MatMul" -> w.getDimsCount() == 2;
            default -> w.getDimsCount() == 2 && attr(n, "transA", 0) == 0 && attrF(n, "alpha", 1f) == 1f && attrF(n, "beta", 1f) == 1f;
        };
    }

    /** The axis of the weight that holds output channels: 0 for Conv and Gemm with transB, else 1. */
    static int weightAxis(NodeProto n) {
        return switch (n.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> attr(n, "transB", 0) == 1 ? 0 : 1;
            default -> 1;
        };
    }

    static long attr(NodeProto n, String name, long otherwise) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(AttributeProto::getI)
                .findFirst().orElse(otherwise);
    }

    private static float attrF(NodeProto n, String name, float otherwise) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).map(AttributeProto::getF)
                .findFirst().orElse(otherwise);
    }

    static Map<String, TensorProto> initializers(GraphProto g) {
        Map<String, TensorProto> out = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> out.put(t.getName(), t));
        return out;
    }

    private static Map<String, List<NodeProto>> readers(GraphProto g) {
        Map<String, List<NodeProto>> out = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            n.getInputList().forEach(in -> out.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
        }
        return out;
    }

    /** A node's name, or its first output's name for an unnamed node. */
    public static String id(NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    ModelProto model() {
        return model;
    }

    QuantizationOptions options() {
        return options;
    }

    /** The nodes that become int8, in graph order of choice (compute nodes first, then Adds). */
    List<NodeProto> quantizedNodes() {
        return quantized;
    }

    /** Names (see {@link #id}) of the nodes that become int8. */
    public List<String> quantizedNodeNames() {
        return quantized.stream().map(QuantizationPlan::id).toList();
    }

    /** Names of the Conv/Gemm/MatMul nodes left in float by the options. */
    public List<String> keptFloat() {
        return List.copyOf(keptFloat);
    }

    /** Every activation tensor that gets a QuantizeLinear/DequantizeLinear pair. */
    public Set<String> activations() {
        return Set.copyOf(activations);
    }

    /** The tensors calibration must measure: the activations, less those sharing another's scale. */
    public List<String> tensorsToCalibrate() {
        return activations.stream().filter(t -> !tiedTo.containsKey(t)).toList();
    }

    /** The calibrated tensor whose scale {@code tensor} uses: itself, or the input of the pass-through op making it. */
    public String scaleSource(String tensor) {
        String t = tensor;
        while (tiedTo.containsKey(t)) {
            t = tiedTo.get(t);
        }
        return t;
    }

    /** Whether the graph input {@code name} is a real (non-initializer) input of the model. */
    static boolean isGraphInput(GraphProto g, String name) {
        return g.getInputList().stream().map(ValueInfoProto::getName).anyMatch(name::equals);
    }
}
