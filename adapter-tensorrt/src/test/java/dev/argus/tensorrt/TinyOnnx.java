package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.OperatorSetIdProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorShapeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TypeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;

/** Small ONNX models built in tests through the converter's own messages (opset 17, IR 8). */
final class TinyOnnx {
    private TinyOnnx() {
    }

    static ModelProto model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    static ValueInfoProto value(String name, int type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    static NodeProto.Builder node(String op, String name, String[] inputs, String... outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (String out : outputs) {
            n.addOutput(out);
        }
        return n;
    }

    static String[] in(String... names) {
        return names;
    }

    static TensorProto floats(String name, float... values) {
        return TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.FLOAT).addDims(values.length)
                .addAllFloatData(java.util.stream.IntStream.range(0, values.length).mapToObj(i -> values[i]).toList())
                .build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(OnnxTypes.ATTRIBUTE_INT).setI(value).build();
    }
}
