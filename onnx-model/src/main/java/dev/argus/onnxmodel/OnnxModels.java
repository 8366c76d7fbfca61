package dev.argus.onnxmodel;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.OperatorSetIdProto;
import dev.argus.onnxmodel.proto.OnnxSubset.StringStringEntryProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TypeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reading a model, its default-domain opset, its metadata, and extra graph outputs. */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** A parsed model with a graph, nodes and outputs; anything else fails saying what is missing. */
    public static ModelProto parse(byte[] model) {
        ModelProto parsed;
        try {
            parsed = ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxModelException("Not an ONNX model: not a valid protobuf message (" + e.getMessage() + ").", e);
        }
        if (parsed.getIrVersion() <= 0 || parsed.getOpsetImportCount() == 0 || !parsed.hasGraph()
                || parsed.getGraph().getNodeCount() == 0 || parsed.getGraph().getOutputCount() == 0) {
            throw new OnnxModelException("Not an ONNX model: no IR version, opset, graph, nodes or outputs.");
        }
        for (NodeProto n : parsed.getGraph().getNodeList()) {
            if (n.getOpType().isEmpty()) {
                throw new OnnxModelException("Not an ONNX model: a node without an operator.");
            }
        }
        return parsed;
    }

    /** The version of the default ("" or "ai.onnx") operator set, or 0 when the model imports none. */
    public static long defaultOpset(ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion).max().orElse(0);
    }

    /** The model's {@code metadata_props}, in order. */
    public static Map<String, String> metadata(ModelProto model) {
        Map<String, String> out = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The {@code metadata_props} of the model file at {@code path}, in file order, read without loading the model: the
     * top-level fields are walked and the graph's bytes skipped, so a 100 MB model costs one pass over the file and
     * no memory. Fails with {@link OnnxModelException} when the file is not a protobuf message.
     */
    public static Map<String, String> metadata(Path path) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CodedInputStream c = CodedInputStream.newInstance(in);
            c.setSizeLimit(Integer.MAX_VALUE); // a model under protobuf's 2 GiB limit; larger ones keep their weights outside
            for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == ModelProto.METADATA_PROPS_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    StringStringEntryProto e = StringStringEntryProto.parseFrom(c.readBytes());
                    out.put(e.getKey(), e.getValue());
                } else if (!c.skipField(tag)) {
                    break; // an end-group tag at the top level: not a model; what was read stands
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxModelException("Not an ONNX model: " + path + " is not a valid protobuf message (" + e.getMessage()
                    + ").", e);
        }
        return out;
    }

    /** {@code model} with {@code entries} set in its {@code metadata_props} (replacing entries with the same keys). */
    public static ModelProto withMetadata(ModelProto model, Map<String, String> entries) {
        Map<String, String> all = metadata(model);
        all.putAll(entries);
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        all.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }

    /**
     * {@code model} with the float tensors {@code names} added as graph outputs (no shape: the engine infers it), so
     * that an engine run returns them beside the model's own outputs. Names already outputs are left as they are.
     */
    public static ModelProto withFloatOutputs(ModelProto model, List<String> names) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> present = g.getOutputList().stream().map(ValueInfoProto::getName).collect(Collectors.toSet());
        for (String name : names) {
            if (present.add(name)) {
                g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(OnnxTypes.FLOAT))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }
}
