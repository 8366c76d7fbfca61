package dev.argus.onnxmodel.quant;

import dev.argus.onnxmodel.FloatTensors;
import dev.argus.onnxmodel.OnnxModelException;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a float model into ONNX's QDQ form by a {@link QuantizationPlan} and calibrated ranges: each planned
 * activation {@code x} becomes {@code x -> QuantizeLinear -> x_quantized (uint8) -> DequantizeLinear -> x_dequantized}
 * and its readers read {@code x_dequantized}; each planned weight is stored int8 per output channel behind a
 * DequantizeLinear with its {@code axis}, and its bias int32 at scale input scale x weight scale. ONNX Runtime fuses
 * these patterns into integer kernels; any other engine runs them as written, in float, with the same values.
 */
public final class QdqQuantizer {
    private final QuantizationPlan plan;
    private final GraphProto source;
    private final Map<String, QuantParams> params = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final List<TensorProto> added = new ArrayList<>();
    private final Map<String, String> weightDq = new HashMap<>();

    private QdqQuantizer(QuantizationPlan plan) {
        this.plan = plan;
        this.source = plan.model().getGraph();
        for (NodeProto n : source.getNodeList()) {
            taken.addAll(n.getInputList());
            taken.addAll(n.getOutputList());
            taken.add(n.getName());
        }
        source.getInitializerList().forEach(t -> taken.add(t.getName()));
        source.getInputList().forEach(v -> taken.add(v.getName()));
        source.getOutputList().forEach(v -> taken.add(v.getName()));
    }

    /**
     * The QDQ model.
     *
     * @param ranges the calibrated range of every tensor in {@link QuantizationPlan#tensorsToCalibrate()}
     */
    public static ModelProto quantize(QuantizationPlan plan, Map<String, TensorRange> ranges) {
        return new QdqQuantizer(plan).rewrite(ranges);
    }

    /** The uint8 parameters each planned activation gets from {@code ranges}. */
    public static Map<String, QuantParams> activationParams(QuantizationPlan plan, Map<String, TensorRange> ranges) {
        Map<String, QuantParams> out = new HashMap<>();
        for (String a : plan.activations()) {
            String from = plan.scaleSource(a);
            TensorRange r = ranges.get(from);
            if (r == null) {
                throw new OnnxModelException("No calibrated range for tensor '" + from + "'.");
            }
            out.put(a, QuantParams.uint8(r));
        }
        return out;
    }

    private ModelProto rewrite(Map<String, TensorRange> ranges) {
        params.putAll(activationParams(plan, ranges));
        Map<String, String> dq = new HashMap<>();
        for (String a : plan.activations()) {
            dq.put(a, fresh(a + "_dequantized"));
        }
        Map<String, NodeProto> quantizedById = new HashMap<>();
        plan.quantizedNodes().forEach(n -> quantizedById.put(QuantizationPlan.id(n), n));

        List<NodeProto> nodes = new ArrayList<>();
        for (ValueInfoProto in : source.getInputList()) {
            if (params.containsKey(in.getName())) {
                addQdq(nodes, in.getName(), dq.get(in.getName()));
            }
        }
        Map<String, TensorProto> init = QuantizationPlan.initializers(source);
        for (NodeProto n : source.getNodeList()) {
            NodeProto.Builder b = n.toBuilder();
            for (int i = 0; i < b.getInputCount(); i++) {
                String dqName = dq.get(b.getInput(i));
                if (dqName != null) {
                    b.setInput(i, dqName);
                }
            }
            if (quantizedById.containsKey(QuantizationPlan.id(n)) && !n.getOpType().equals("Add")) {
                quantizeWeights(nodes, b, n, init);
            }
            nodes.add(b.build());
            for (String out : n.getOutputList()) {
                if (params.containsKey(out)) {
                    addQdq(nodes, out, dq.get(out));
                }
            }
        }
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(n.getInputList()));
        source.getOutputList().forEach(v -> read.add(v.getName()));
        GraphProto.Builder g = source.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        source.getInitializerList().stream().filter(t -> read.contains(t.getName())).forEach(g::addInitializer);
        g.addAllInitializer(added);
        List<ValueInfoProto> inputs = source.getInputList().stream()
                .filter(v -> !init.containsKey(v.getName()) || read.contains(v.getName())).toList();
        g.clearInput().addAllInput(inputs);
        return plan.model().toBuilder().setGraph(g).build();
    }

    /** Weight (and bias) of a Conv/Gemm/MatMul as int8 (int32) initializers behind per-channel DequantizeLinear nodes. */
    private void quantizeWeights(List<NodeProto> nodes, NodeProto.Builder b, NodeProto original, Map<String, TensorProto> init) {
        int axis = QuantizationPlan.weightAxis(original);
        String wName = original.getInput(1);
        TensorProto w = init.get(wName);
        long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
        WeightQuantizer.Quantized qw = WeightQuantizer.quantize(FloatTensors.values(w), dims, axis, plan.options().weightMax());
        String wDq = weightDq.get(wName);
        if (wDq == null) {
            int channels = qw.scales().length;
            String values = fresh(wName + "_quantized");
            String scale = fresh(wName + "_scale");
            String zero = fresh(wName + "_zero_point");
            added.add(FloatTensors.bytes(values, OnnxTypes.INT8, qw.values(), dims));
            added.add(FloatTensors.floats(scale, qw.scales(), channels));
            added.add(FloatTensors.bytes(zero, OnnxTypes.INT8, new byte[channels], channels));
            wDq = fresh(wName + "_dequantized");
            nodes.add(dequantize(values, scale, zero, wDq, axis));
            weightDq.put(wName, wDq);
        }
        b.setInput(1, wDq);
        if (original.getInputCount() > 2 && !original.getInput(2).isEmpty()) {
            String bName = original.getInput(2);
            float inputScale = params.get(original.getInput(0)).scale();
            float[] biasScales = new float[qw.scales().length];
            int[] qb = WeightQuantizer.bias(FloatTensors.values(init.get(bName)), inputScale, qw.scales(), biasScales);
            String values = fresh(bName + "_quantized");
            String scale = fresh(bName + "_scale");
            String zero = fresh(bName + "_zero_point");
            added.add(FloatTensors.ints(values, qb, qb.length));
            added.add(FloatTensors.floats(scale, biasScales, qb.length));
            added.add(FloatTensors.ints(zero, new int[qb.length], qb.length));
            String bDq = fresh(bName + "_dequantized");
            nodes.add(dequantize(values, scale, zero, bDq, 0));
            b.setInput(2, bDq);
        }
    }

    private void addQdq(List<NodeProto> nodes, String tensor, String dqName) {
        QuantParams p = params.get(tensor);
        String scale = fresh(tensor + "_scale");
        String zero = fresh(tensor + "_zero_point");
        String quantized = fresh(tensor + "_quantized");
        added.add(FloatTensors.floats(scale, new float[] {p.scale()}));
        added.add(FloatTensors.bytes(zero, OnnxTypes.UINT8, new byte[] {(byte) p.zeroPoint()}));
        nodes.add(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(fresh(tensor + "_QuantizeLinear"))
                .addInput(tensor).addInput(scale).addInput(zero).addOutput(quantized).build());
        nodes.add(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(fresh(tensor + "_DequantizeLinear"))
                .addInput(quantized).addInput(scale).addInput(zero).addOutput(dqName).build());
    }

    private NodeProto dequantize(String values, String scale, String zero, String out, int axis) {
        return NodeProto.newBuilder().setOpType("DequantizeLinear").setName(fresh(out + "_node"))
                .addInput(values).addInput(scale).addInput(zero).addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(OnnxTypes.ATTRIBUTE_INT).setI(axis))
                .build();
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever no tensor or node of the graph uses yet. */
    private String fresh(String base) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
