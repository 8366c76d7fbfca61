package dev.argus.onnxmodel.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.argus.onnxmodel.FloatTensors;
import dev.argus.onnxmodel.GraphBuilder;
import dev.argus.onnxmodel.OnnxModelException;
import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QdqQuantizerTest {
    /** Ranges for every tensor calibration would measure in MiniResNet. */
    static Map<String, TensorRange> ranges(QuantizationPlan plan) {
        Map<String, TensorRange> out = new HashMap<>();
        for (String t : plan.tensorsToCalibrate()) {
            out.put(t, t.equals("c3") ? new TensorRange(-1f, 3f) : new TensorRange(0f, 6f));
        }
        out.put("x", new TensorRange(-1f, 1f));
        return out;
    }

    private static ModelProto quantizeAll(int bits) {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), new QuantizationOptions(bits, false, false, Set.of()));
        return QdqQuantizer.quantize(plan, ranges(plan));
    }

    private static NodeProto node(GraphProto g, String output) {
        return g.getNodeList().stream().filter(n -> n.getOutputList().contains(output)).findFirst().orElseThrow();
    }

    private static NodeProto named(GraphProto g, String name) {
        return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
    }

    static TensorProto init(GraphProto g, String name) {
        return g.getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no initializer " + name));
    }

    static float[] floats(GraphProto g, String name) {
        return FloatTensors.values(init(g, name));
    }

    static int[] int32s(GraphProto g, String name) {
        TensorProto t = init(g, name);
        assertThat(t.getDataType()).isEqualTo(OnnxTypes.INT32);
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    private static long axis(NodeProto n) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals("axis")).mapToLong(AttributeProto::getI)
                .findFirst().orElseThrow(() -> new AssertionError(n.getName() + " has no axis"));
    }

    @Test
    void quantizedNodesReadDequantizedActivationsWeightsAndBiases() {
        GraphProto g = quantizeAll(8).getGraph();
        assertThat(named(g, "conv2").getInputList()).containsExactly("p1_dequantized", "w2_dequantized", "b2_dequantized");
        assertThat(named(g, "add").getInputList()).containsExactly("c3_dequantized", "p1_dequantized");
        assertThat(named(g, "fc").getInputList()).containsExactly("f_dequantized", "wf_dequantized", "bf_dequantized");
        NodeProto q = node(g, "r2_quantized");
        assertThat(q.getOpType()).isEqualTo("QuantizeLinear");
        assertThat(q.getInputList()).containsExactly("r2", "r2_scale", "r2_zero_point");
        NodeProto dq = node(g, "r2_dequantized");
        assertThat(dq.getOpType()).isEqualTo("DequantizeLinear");
        assertThat(dq.getInputList()).containsExactly("r2_quantized", "r2_scale", "r2_zero_point");
        // a ReLU's input is not quantized: the QDQ pair after the ReLU carries the range starting at 0
        assertThat(g.getNodeList()).noneMatch(n -> n.getInputList().contains("c2") && n.getOpType().equals("QuantizeLinear"));
        assertThat(named(g, "relu2").getInputList()).containsExactly("c2");
    }

    @Test
    void weightsArePerOutputChannelSymmetricInt8() {
        GraphProto source = MiniResNet.model(17).getGraph();
        GraphProto g = quantizeAll(8).getGraph();
        float[] w = floats(source, "w2");
        TensorProto qw = init(g, "w2_quantized");
        assertThat(qw.getDataType()).isEqualTo(OnnxTypes.INT8);
        assertThat(qw.getDimsList()).containsExactly(4L, 4L, 3L, 3L);
        float[] scales = floats(g, "w2_scale");
        assertThat(scales).hasSize(4);
        byte[] values = qw.getRawData().toByteArray();
        for (int c = 0; c < 4; c++) {
            float max = 0;
            for (int i = c * 36; i < (c + 1) * 36; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            assertThat(scales[c]).isCloseTo(max / 127f, within(1e-7f));
            for (int i = c * 36; i < (c + 1) * 36; i++) {
                assertThat(values[i]).isEqualTo((byte) Math.rint(w[i] / scales[c]));
            }
        }
        TensorProto zero = init(g, "w2_zero_point");
        assertThat(zero.getDataType()).isEqualTo(OnnxTypes.INT8);
        assertThat(zero.getRawData().toByteArray()).containsOnly(0);
        assertThat(axis(node(g, "w2_dequantized"))).isZero();
        assertThat(axis(node(g, "wf_dequantized"))).isZero(); // Gemm with transB=1: output channels are rows
        // the float weights are gone
        assertThat(g.getInitializerList()).noneMatch(t -> t.getName().equals("w2") || t.getName().equals("b2"));
    }

    @Test
    void biasesAreInt32AtInputScaleTimesWeightScale() {
        GraphProto source = MiniResNet.model(17).getGraph();
        GraphProto g = quantizeAll(8).getGraph();
        float inputScale = floats(g, "p1_scale")[0]; // p1 shares r1's scale: [0, 6] / 255
        assertThat(inputScale).isCloseTo(6f / 255, within(1e-7f));
        float[] wScale = floats(g, "w2_scale");
        float[] bScale = floats(g, "b2_scale");
        int[] qb = int32s(g, "b2_quantized");
        float[] b = floats(source, "b2");
        for (int c = 0; c < 4; c++) {
            assertThat(bScale[c]).isCloseTo(inputScale * wScale[c], within(1e-9f));
            assertThat(qb[c]).isEqualTo((int) Math.rint(b[c] / bScale[c]));
        }
        assertThat(int32s(g, "b2_zero_point")).containsOnly(0);
        assertThat(axis(node(g, "b2_dequantized"))).isZero();
    }

    @Test
    void activationsAreUint8WithAZeroPointThatMakesZeroExact() {
        GraphProto g = quantizeAll(8).getGraph();
        TensorProto relu = init(g, "r2_zero_point");
        assertThat(relu.getDataType()).isEqualTo(OnnxTypes.UINT8);
        assertThat(relu.getRawData().byteAt(0) & 0xFF).isZero(); // [0, 6]: zero point 0
        assertThat(floats(g, "c3_scale")[0]).isCloseTo(4f / 255, within(1e-7f));
        assertThat(init(g, "c3_zero_point").getRawData().byteAt(0) & 0xFF).isEqualTo(64); // [-1, 3]: 1 / (4 / 255) = 63.75
        assertThat(init(g, "p1_zero_point").getRawData().byteAt(0) & 0xFF).isZero();
    }

    @Test
    void sevenBitWeightsStayWithinPlusMinus63() {
        GraphProto source = MiniResNet.model(17).getGraph();
        GraphProto g = quantizeAll(7).getGraph();
        for (String w : List.of("w1", "w2", "w3", "wf")) {
            byte[] values = init(g, w + "_quantized").getRawData().toByteArray();
            int peak = 0;
            for (byte v : values) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertThat(peak).as(w).isEqualTo(63);
        }
        float[] w1 = floats(source, "w1");
        float max = 0;
        for (int i = 0; i < 27; i++) {
            max = Math.max(max, Math.abs(w1[i]));
        }
        assertThat(floats(g, "w1_scale")[0]).isCloseTo(max / 63f, within(1e-7f));
    }

    @Test
    void gemmWithoutTransposedWeightsUsesAxisOne() {
        ModelProto m = new GraphBuilder().input("x", -1, 4).output("y", -1, 3)
                .weight("w", MiniResNet.random(new java.util.Random(1), 12, 1f), 4, 3)
                .weight("b", new float[] {0.1f, 0.2f, 0.3f}, 3)
                .node("Gemm", "fc", "h", "x", "w", "b")
                .node("Relu", "relu", "y", "h")
                .model(17);
        QuantizationPlan plan = QuantizationPlan.of(m, new QuantizationOptions(8, false, false, Set.of()));
        GraphProto g = QdqQuantizer.quantize(plan, Map.of("x", new TensorRange(-3f, 3f))).getGraph();
        assertThat(axis(node(g, "w_dequantized"))).isEqualTo(1);
        assertThat(floats(g, "w_scale")).hasSize(3);
        // the graph's output keeps its name and float type: no QDQ pair after the last node
        assertThat(named(g, "relu").getOutputList()).containsExactly("y");
    }

    @Test
    void everyTensorIsProducedBeforeItIsRead() {
        GraphProto g = quantizeAll(8).getGraph();
        Set<String> known = new HashSet<>();
        g.getInputList().forEach(v -> known.add(v.getName()));
        g.getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : g.getNodeList()) {
            assertThat(known).as(n.getName()).containsAll(n.getInputList());
            known.addAll(n.getOutputList());
        }
        Set<String> outputs = new HashSet<>();
        g.getNodeList().forEach(n -> n.getOutputList().forEach(o -> assertThat(outputs.add(o)).as(o).isTrue()));
    }

    @Test
    void aMissingRangeFailsSayingWhichTensor() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), QuantizationOptions.defaults());
        assertThatThrownBy(() -> QdqQuantizer.quantize(plan, Map.of()))
                .isInstanceOf(OnnxModelException.class).hasMessageContaining("No calibrated range for tensor");
    }
}
