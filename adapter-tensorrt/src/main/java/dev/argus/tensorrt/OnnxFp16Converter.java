package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.argus.domain.ArgusException;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An FP32 ONNX model rewritten for an FP16 TensorRT engine (TensorRT 11 builds strongly typed networks only, so
 * FP16 is a property of the model, not a builder flag): every float tensor inside the graph becomes FLOAT16
 * (weights rounded to nearest even), while the graph's inputs and outputs stay float32 behind inserted casts.
 * Everything else (opsets, metadata, shapes, integer tensors, attributes, fields this converter does not know) is
 * carried over unchanged. Models it cannot convert safely are refused (see {@link Fp16Eligibility}).
 */
final class OnnxFp16Converter {
    private OnnxFp16Converter() {
    }

    /**
     * The FP16 version of a serialised ONNX model; {@code model} itself (the same array) when it already uses
     * FLOAT16 (weights, constants, casts or inputs/outputs): such a model was prepared for FP16 and is used as is.
     *
     * @throws ArgusException MODEL_UNAVAILABLE: not an ONNX model, or one the converter refuses, saying why
     */
    static byte[] convert(byte[] model) {
        ModelProto parsed = parse(model);
        GraphProto graph = parsed.getGraph();
        if (usesFloat16(graph)) {
            return model;
        }
        Fp16Eligibility.check(parsed);
        Set<String> inputs = Fp16BoundaryCasts.realInputs(graph);
        Set<String> boundary = new HashSet<>(inputs);
        graph.getOutputList().forEach(v -> boundary.add(v.getName()));
        Set<String> floatKept = Fp16BoundaryCasts.castToFloatOutputs(graph);
        GraphProto.Builder g = graph.toBuilder();
        Fp16Retyper.retype(g, boundary, floatKept);
        Fp16BoundaryCasts.insert(g, inputs, floatKept);
        return parsed.toBuilder().setGraph(g).build().toByteArray();
    }

    /** True when the model already has FLOAT16 weights, constants, casts or inputs/outputs. */
    static boolean usesFloat16(GraphProto g) {
        Stream<TensorProto> constants = g.getNodeList().stream().filter(n -> n.getOpType().equals("Constant"))
                .flatMap(n -> n.getAttributeList().stream()).filter(AttributeProto::hasT).map(AttributeProto::getT);
        boolean tensors = Stream.concat(g.getInitializerList().stream(), constants)
                .anyMatch(t -> t.getDataType() == OnnxTypes.FLOAT16);
        boolean casts = g.getNodeList().stream().filter(n -> n.getOpType().equals("Cast"))
                .anyMatch(n -> Fp16BoundaryCasts.castTarget(n) == OnnxTypes.FLOAT16);
        boolean io = Stream.concat(g.getInputList().stream(), g.getOutputList().stream())
                .anyMatch(v -> elemType(v) == OnnxTypes.FLOAT16);
        return tensors || casts || io;
    }

    static ModelProto parse(byte[] model) {
        ModelProto parsed;
        try {
            parsed = ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw notOnnx("not a valid protobuf message: " + e.getMessage(), e);
        }
        if (parsed.getIrVersion() <= 0 || parsed.getOpsetImportCount() == 0 || !parsed.hasGraph()
                || parsed.getGraph().getNodeCount() == 0 || parsed.getGraph().getOutputCount() == 0) {
            throw notOnnx("no IR version, opset, graph, nodes or outputs", null);
        }
        for (NodeProto n : parsed.getGraph().getNodeList()) {
            if (n.getOpType().isEmpty()) {
                throw notOnnx("a node without an operator", null);
            }
        }
        return parsed;
    }

    private static int elemType(ValueInfoProto v) {
        return v.getType().hasTensorType() ? v.getType().getTensorType().getElemType() : 0;
    }

    private static ArgusException notOnnx(String why, Throwable cause) {
        String reason = why.endsWith(".") ? why.substring(0, why.length() - 1) : why;
        return ArgusException.modelUnavailable("Cannot convert the model to FP16: it is not an ONNX model (" + reason + ").", cause);
    }
}
