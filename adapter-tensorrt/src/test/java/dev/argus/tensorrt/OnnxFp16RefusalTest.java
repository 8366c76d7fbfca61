package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import static dev.argus.tensorrt.TinyOnnx.floats;
import static dev.argus.tensorrt.TinyOnnx.in;
import static dev.argus.tensorrt.TinyOnnx.intAttribute;
import static dev.argus.tensorrt.TinyOnnx.model;
import static dev.argus.tensorrt.TinyOnnx.node;
import static dev.argus.tensorrt.TinyOnnx.value;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** What the converter refuses, clearly, rather than convert unsafely. */
class OnnxFp16RefusalTest {
    /** y = relu(x), with {@code extra} added: a valid model except for what a test puts in. */
    private static GraphProto.Builder graph(NodeProto.Builder... extra) {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", OnnxTypes.FLOAT, 1, 4))
                .addOutput(value("y", OnnxTypes.FLOAT, 1, 4))
                .addNode(node("Relu", "relu", in("x"), "y"));
        for (NodeProto.Builder n : extra) {
            g.addNode(n);
        }
        return g;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> converting(ModelProto model) {
        return converting(model.toByteArray());
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> converting(byte[] bytes) {
        return assertThatThrownBy(() -> OnnxFp16Converter.convert(bytes))
                .isInstanceOf(ArgusException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ArgusException) e).code())
                        .isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageStartingWith("Cannot convert the");
    }

    @Test
    void refusesBytesThatAreNotAnOnnxModel() {
        converting(new byte[0]).hasMessageContaining("not an ONNX model");
        converting("just some text, not a model".getBytes(StandardCharsets.UTF_8)).hasMessageContaining("not an ONNX model");
        converting(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'})
                .hasMessageContaining("not an ONNX model");
        converting(ModelProto.newBuilder().setIrVersion(8).build()).hasMessageContaining("not an ONNX model");
    }

    @Test
    void refusesWeightsInAnExternalFile() {
        ByteString location = ByteString.copyFrom(new byte[] {10, 8, 'l', 'o', 'c', 'a', 't', 'i', 'o', 'n', 18, 5, 'w', '.', 'b', 'i', 'n'});
        GraphProto.Builder g = graph(node("Add", "add", in("y", "w"), "z"))
                .addInitializer(floats("w", 1, 2, 3, 4).toBuilder().clearFloatData().setDataLocation(OnnxTypes.DATA_LOCATION_EXTERNAL)
                        .addExternalData(location));
        converting(model(g)).hasMessageContaining("initializer 'w'").hasMessageContaining("data_location EXTERNAL");
    }

    @Test
    void refusesSubgraphs() {
        ByteString branch = GraphProto.newBuilder().setName("then").build().toByteString();
        NodeProto.Builder ifNode = node("If", "choose", in("cond"), "chosen")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(OnnxTypes.ATTRIBUTE_GRAPH).setG(branch));
        converting(model(graph(ifNode))).hasMessageContaining("subgraph").hasMessageContaining("'choose' (If)")
                .hasMessageContaining("then_branch");
    }

    @Test
    void refusesOperatorsItDoesNotKnowToBeSafeNamingThem() {
        converting(model(graph(node("Resize", "up", in("y", "", "scales"), "r")))).hasMessageContaining("'up' (Resize)")
                .hasMessageContaining("argus.tensorrt.precision=fp32");
        converting(model(graph(node("Relu", "custom", in("y"), "c").setDomain("com.example"))))
                .hasMessageContaining("domain 'com.example'");
    }

    @Test
    void refusesIntegerArithmeticDoneInFloat() {
        converting(model(graph(
                node("Shape", "shape", in("x"), "s"),
                node("Cast", "to_float", in("s"), "sf").addAttribute(intAttribute("to", OnnxTypes.FLOAT)),
                node("Mul", "double", in("sf", "sf"), "sq"),
                node("Cast", "to_int", in("sq"), "si").addAttribute(intAttribute("to", 7)))))
                .hasMessageContaining("'to_float'").hasMessageContaining("'to_int'").hasMessageContaining("2048");
    }

    @Test
    void refusesWeightsBeyondTheFp16Range() {
        GraphProto.Builder g = graph(node("Mul", "big", in("y", "w"), "z")).addInitializer(floats("w", 1, 70000, 3, 4));
        converting(model(g)).hasMessageContaining("70000").hasMessageContaining("initializer 'w'").hasMessageContaining("65504");
    }

    @Test
    void refusesLocalFunctions() {
        ModelProto m = model(graph()).toBuilder().addFunctions(ByteString.copyFromUtf8("\n\u0003fun")).build();
        converting(m).hasMessageContaining("local function");
    }
}
