package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Retypes a graph's internal float tensors as FLOAT16: initializers, {@code Constant} values, {@code Cast(to=FLOAT)}
 * targets and {@code value_info} entries. Graph inputs and outputs are left to {@link Fp16BoundaryCasts}.
 */
final class Fp16Retyper {
    private Fp16Retyper() {
    }

    /**
     * @param boundary   names of the graph's (non-initializer) inputs and its outputs, whose types stay
     * @param floatKept  graph outputs whose producer, a {@code Cast(to=FLOAT)}, stays as it is
     */
    static void retype(GraphProto.Builder g, Set<String> boundary, Set<String> floatKept) {
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataType() == OnnxTypes.FLOAT) {
                g.setInitializer(i, Fp16Tensors.toFloat16(t, "initializer '" + t.getName() + "'"));
            }
        }
        for (NodeProto.Builder node : g.getNodeBuilderList()) {
            if (node.getOpType().equals("Constant")) {
                retypeConstant(node);
            } else if (node.getOpType().equals("Cast") && !floatKept.containsAll(node.getOutputList())) {
                retypeCast(node);
            }
        }
        for (ValueInfoProto.Builder v : g.getInputBuilderList()) {
            if (!boundary.contains(v.getName())) {
                retype(v); // an input that is also an initializer (IR < 4 style): it has the initializer's type now
            }
        }
        for (ValueInfoProto.Builder v : g.getValueInfoBuilderList()) {
            if (!boundary.contains(v.getName())) {
                retype(v);
            }
        }
    }

    /** FLOAT becomes FLOAT16 in a tensor-typed value. */
    static void retype(ValueInfoProto.Builder v) {
        if (v.hasType() && v.getType().hasTensorType() && v.getType().getTensorType().getElemType() == OnnxTypes.FLOAT) {
            v.getTypeBuilder().getTensorTypeBuilder().setElemType(OnnxTypes.FLOAT16);
        }
    }

    private static void retypeConstant(NodeProto.Builder node) {
        String what = "Constant '" + node.getName() + "'";
        List<AttributeProto> attributes = new ArrayList<>(node.getAttributeList());
        for (int i = 0; i < attributes.size(); i++) {
            AttributeProto a = attributes.get(i);
            TensorProto value = switch (a.getName()) {
                case "value" -> a.getT().getDataType() == OnnxTypes.FLOAT ? Fp16Tensors.toFloat16(a.getT(), what) : null;
                case "value_float" -> Fp16Tensors.float16(List.of(a.getF()), true, what);
                case "value_floats" -> Fp16Tensors.float16(a.getFloatsList(), false, what);
                default -> null;
            };
            if (value != null) {
                attributes.set(i, a.toBuilder().clearF().clearFloats().setName("value")
                        .setType(OnnxTypes.ATTRIBUTE_TENSOR).setT(value).build());
            }
        }
        node.clearAttribute().addAllAttribute(attributes);
    }

    private static void retypeCast(NodeProto.Builder node) {
        for (AttributeProto.Builder a : node.getAttributeBuilderList()) {
            if (a.getName().equals("to") && a.getI() == OnnxTypes.FLOAT) {
                a.setI(OnnxTypes.FLOAT16);
            }
        }
    }
}
