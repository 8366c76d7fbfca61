package dev.argus.onnxmodel;

import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.OperatorSetIdProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorShapeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TypeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;

/** Small models written in code (tests, fixtures): float inputs and outputs, nodes, float initializers. */
public final class GraphBuilder {
    private final GraphProto.Builder g = GraphProto.newBuilder().setName("graph");

    /** A float input or output; a negative dimension is symbolic ("N"). */
    public static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(OnnxTypes.FLOAT).setShape(shape))).build();
    }

    public GraphBuilder input(String name, long... dims) {
        g.addInput(floatValue(name, dims));
        return this;
    }

    public GraphBuilder output(String name, long... dims) {
        g.addOutput(floatValue(name, dims));
        return this;
    }

    public GraphBuilder weight(String name, float[] values, long... dims) {
        g.addInitializer(FloatTensors.floats(name, values, dims));
        return this;
    }

    /** A node named {@code name} with {@code inputs} and one output, {@code output}. */
    public GraphBuilder node(String op, String name, String output, String... inputs) {
        return node(NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output), inputs);
    }

    /** As {@link #node(String, String, String, String...)}, with integer attributes {@code ints} (name, value pairs). */
    public GraphBuilder node(String op, String name, String output, String[] inputs, Object... ints) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (int i = 0; i < ints.length; i += 2) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName((String) ints[i]);
            if (ints[i + 1] instanceof long[] list) {
                a.setType(OnnxTypes.ATTRIBUTE_INTS);
                for (long v : list) {
                    a.addInts(v);
                }
            } else {
                a.setType(OnnxTypes.ATTRIBUTE_INT).setI(((Number) ints[i + 1]).longValue());
            }
            n.addAttribute(a);
        }
        return node(n, inputs);
    }

    private GraphBuilder node(NodeProto.Builder n, String... inputs) {
        for (String in : inputs) {
            n.addInput(in);
        }
        g.addNode(n);
        return this;
    }

    /** The model: IR 8, default opset {@code opset}. */
    public ModelProto model(int opset) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }
}
