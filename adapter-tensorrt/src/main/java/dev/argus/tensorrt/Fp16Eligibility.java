package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.domain.ArgusException;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link OnnxFp16Converter} refuses, before it changes anything: whatever it cannot convert safely. Each
 * refusal is {@code MODEL_UNAVAILABLE} saying what was found and what to do instead.
 */
final class Fp16Eligibility {
    /**
     * Standard ONNX operators that stay valid when every float tensor becomes FLOAT16: all their float inputs and
     * outputs share one type (or have independent float types, like Dropout's ratio), and none needs a float32
     * input or makes a float32 output on its own. Anything else is refused rather than guessed at: Resize and
     * Upsample (their scales must stay float32), ConstantOfShape, EyeLike and the Random* ops (float32 by default
     * or by attribute), LayerNormalization (float32 statistics outputs), ReduceSum and similar (FP16 overflow),
     * If/Loop/Scan (subgraphs), custom domains.
     */
    static final Set<String> SAFE_OPS = Set.of(
            "Abs", "Add", "ArgMax", "ArgMin", "AveragePool", "BatchNormalization", "Cast", "CastLike", "Ceil", "Clip",
            "Concat", "Constant", "Conv", "ConvTranspose", "Div", "Dropout", "Elu", "Equal", "Erf", "Exp", "Expand",
            "Flatten", "Floor", "Gather", "Gelu", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Greater",
            "HardSigmoid", "HardSwish", "Identity", "InstanceNormalization", "LeakyRelu", "Less", "Log",
            "LogSoftmax", "LRN", "MatMul", "Max", "MaxPool", "Min", "Mul", "Neg", "Pad", "Pow", "PRelu",
            "Reciprocal", "ReduceMax", "ReduceMean", "ReduceMin", "Relu", "Reshape", "Selu", "Shape", "Sigmoid",
            "Sign", "Slice", "Softmax", "Softplus", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Tile",
            "TopK", "Transpose", "Unsqueeze", "Where");

    /** FLOAT, FLOAT16, DOUBLE, BFLOAT16. */
    private static final Set<Long> FLOAT_TYPES = Set.of(1L, 10L, 11L, 16L);
    /** Ops whose outputs do not carry their inputs' values (only shapes or positions). */
    private static final Set<String> VALUE_FREE_OPS = Set.of("Shape", "ArgMax", "ArgMin");

    private static final String INSTEAD = " Use argus.tensorrt.precision=fp32, or supply a model already converted to FP16 "
            + "(float16 weights, float32 input and output).";

    private Fp16Eligibility() {
    }

    static void check(ModelProto model) {
        if (model.getFunctionsCount() > 0) {
            throw refuse("declares " + model.getFunctionsCount() + " local function(s); the converter handles plain graphs only.");
        }
        GraphProto graph = model.getGraph();
        if (graph.getSparseInitializerCount() > 0) {
            throw refuse("has sparse initializers, which the converter does not handle.");
        }
        for (TensorProto t : graph.getInitializerList()) {
            checkTensor(t, "initializer '" + t.getName() + "'");
        }
        for (NodeProto node : graph.getNodeList()) {
            checkNode(node);
        }
        checkNoIntegerArithmeticInFloat(graph);
    }

    /**
     * Refuses {@code Cast(to=FLOAT)} whose result reaches a cast back to a non-float type: integers (sizes, shapes,
     * indices) computed in float are exact in float32 up to 2^24 but in FP16 only up to 2048.
     */
    private static void checkNoIntegerArithmeticInFloat(GraphProto graph) {
        Map<String, List<NodeProto>> readers = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            n.getInputList().forEach(in -> readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
        }
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Cast") && Fp16BoundaryCasts.castTarget(n) == OnnxTypes.FLOAT) {
                Deque<String> todo = new ArrayDeque<>(n.getOutputList());
                Set<String> seen = new HashSet<>(todo);
                while (!todo.isEmpty()) {
                    for (NodeProto r : readers.getOrDefault(todo.pop(), List.of())) {
                        if (r.getOpType().equals("Cast") && !FLOAT_TYPES.contains(Fp16BoundaryCasts.castTarget(r))) {
                            throw refuse("casts to float at node '" + n.getName() + "' and back to type "
                                    + Fp16BoundaryCasts.castTarget(r) + " at node '" + r.getName() + "': integer arithmetic in "
                                    + "float, exact in FP16 only up to 2048.");
                        }
                        if (!VALUE_FREE_OPS.contains(r.getOpType())) {
                            r.getOutputList().stream().filter(seen::add).forEach(todo::add);
                        }
                    }
                }
            }
        }
    }

    private static void checkNode(NodeProto node) {
        String what = "node '" + node.getName() + "' (" + node.getOpType() + ")";
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0 || a.getType() == OnnxTypes.ATTRIBUTE_GRAPH || a.getType() == OnnxTypes.ATTRIBUTE_GRAPHS) {
                throw refuse("has a subgraph: " + what + ", attribute '" + a.getName() + "'; the converter handles a single flat graph only.");
            }
            if (a.hasSparseTensor() || a.getSparseTensorsCount() > 0) {
                throw refuse("has a sparse tensor in " + what + ", attribute '" + a.getName() + "', which the converter does not handle.");
            }
            if (a.hasT()) {
                checkTensor(a.getT(), what + ", attribute '" + a.getName() + "'");
            }
            for (TensorProto t : a.getTensorsList()) {
                checkTensor(t, what + ", attribute '" + a.getName() + "'");
            }
        }
        String domain = node.getDomain();
        if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            throw refuse("uses " + what + " from domain '" + domain + "'; only standard ONNX operators are converted.");
        }
        if (!SAFE_OPS.contains(node.getOpType())) {
            throw refuse("uses " + what + ", which the converter does not know to be safe with FLOAT16 tensors.");
        }
    }

    private static void checkTensor(TensorProto t, String what) {
        if (t.getDataLocation() == OnnxTypes.DATA_LOCATION_EXTERNAL || t.getExternalDataCount() > 0) {
            throw refuse("keeps the data of " + what + " in an external file (data_location EXTERNAL); the converter "
                    + "needs every weight inside the .onnx file.");
        }
        if (t.hasSegment()) {
            throw refuse("stores " + what + " in segments, which the converter does not handle.");
        }
    }

    static ArgusException refuse(String why) {
        return ArgusException.modelUnavailable("Cannot convert the ONNX model to FP16: it " + why + INSTEAD, null);
    }
}
