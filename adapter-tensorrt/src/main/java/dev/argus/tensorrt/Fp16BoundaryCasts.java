package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a retyped graph's float inputs and outputs float32: {@code x -> Cast(to=FLOAT16) -> x_fp16} before the
 * first use of each float input, and {@code y_fp16 -> Cast(to=FLOAT) -> y} after the producer of each float
 * output, renaming the tensors in between so that every name still has one producer.
 */
final class Fp16BoundaryCasts {
    private final GraphProto.Builder g;
    private final Set<String> taken = new HashSet<>();

    private Fp16BoundaryCasts(GraphProto.Builder g) {
        this.g = g;
        for (NodeProto n : g.getNodeList()) {
            taken.addAll(n.getInputList());
            taken.addAll(n.getOutputList());
            taken.add(n.getName());
        }
        g.getInitializerList().forEach(t -> taken.add(t.getName()));
        g.getInputList().forEach(v -> taken.add(v.getName()));
        g.getOutputList().forEach(v -> taken.add(v.getName()));
        g.getValueInfoList().forEach(v -> taken.add(v.getName()));
    }

    /** Names of the graph inputs that are not initializers: the model's real inputs. */
    static Set<String> realInputs(GraphProto g) {
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        Set<String> inputs = new LinkedHashSet<>();
        g.getInputList().stream().map(ValueInfoProto::getName).filter(n -> !initializers.contains(n)).forEach(inputs::add);
        return inputs;
    }

    /** Graph outputs made by a {@code Cast(to=FLOAT)} that nothing else reads: that cast stays and needs no partner. */
    static Set<String> castToFloatOutputs(GraphProto g) {
        Set<String> outputs = new HashSet<>();
        g.getOutputList().forEach(v -> outputs.add(v.getName()));
        Set<String> read = new HashSet<>();
        g.getNodeList().forEach(n -> read.addAll(n.getInputList()));
        Set<String> kept = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Cast") && n.getOutputCount() == 1 && outputs.contains(n.getOutput(0))
                    && !read.contains(n.getOutput(0)) && castTarget(n) == OnnxTypes.FLOAT) {
                kept.add(n.getOutput(0));
            }
        }
        return kept;
    }

    /** Inserts the casts; {@code floatKept} are outputs left alone (see {@link #castToFloatOutputs}). */
    static void insert(GraphProto.Builder g, Set<String> realInputs, Set<String> floatKept) {
        new Fp16BoundaryCasts(g).insertCasts(realInputs, floatKept);
    }

    private void insertCasts(Set<String> realInputs, Set<String> floatKept) {
        int first = 0;
        for (ValueInfoProto in : g.getInputList()) {
            if (realInputs.contains(in.getName()) && isFloat(in)) {
                String inner = fresh(in.getName() + "_fp16");
                renameReads(Map.of(in.getName(), inner));
                g.addNode(first++, cast(in.getName(), inner, OnnxTypes.FLOAT16));
            }
        }
        Set<String> done = new HashSet<>();
        for (ValueInfoProto out : List.copyOf(g.getOutputList())) {
            String name = out.getName();
            if (isFloat(out) && !realInputs.contains(name) && !floatKept.contains(name) && done.add(name)) {
                String inner = fresh(name + "_fp16");
                renameEverywhere(name, inner);
                g.addNode(cast(inner, name, OnnxTypes.FLOAT));
            }
        }
    }

    private void renameReads(Map<String, String> renames) {
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                String to = renames.get(n.getInput(i));
                if (to != null) {
                    n.setInput(i, to);
                }
            }
        }
    }

    /** Renames an output tensor wherever it is made or read, except in the graph's output list. */
    private void renameEverywhere(String from, String to) {
        renameReads(Map.of(from, to));
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                if (n.getOutput(i).equals(from)) {
                    n.setOutput(i, to);
                }
            }
        }
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            if (t.getName().equals(from)) {
                t.setName(to);
            }
        }
        for (ValueInfoProto.Builder v : g.getValueInfoBuilderList()) {
            if (v.getName().equals(from)) {
                v.setName(to);
                Fp16Retyper.retype(v);
            }
        }
    }

    private String fresh(String base) {
        String name = base;
        for (int k = 2; taken.contains(name); k++) {
            name = base + "_" + k;
        }
        taken.add(name);
        return name;
    }

    private NodeProto cast(String from, String to, int type) {
        return NodeProto.newBuilder().setName(fresh("argus_cast_" + to)).setOpType("Cast").addInput(from).addOutput(to)
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(OnnxTypes.ATTRIBUTE_INT).setI(type))
                .build();
    }

    private static boolean isFloat(ValueInfoProto v) {
        return v.getType().hasTensorType() && v.getType().getTensorType().getElemType() == OnnxTypes.FLOAT;
    }

    static long castTarget(NodeProto cast) {
        return cast.getAttributeList().stream().filter(a -> a.getName().equals("to")).mapToLong(AttributeProto::getI)
                .findFirst().orElse(-1);
    }
}
