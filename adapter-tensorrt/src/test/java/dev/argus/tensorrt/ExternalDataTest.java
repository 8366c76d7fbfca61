package dev.argus.tensorrt;

import dev.argus.onnxmodel.ExternalData;
import dev.argus.onnxmodel.OnnxTypes;
import static dev.argus.tensorrt.TinyOnnx.in;
import static dev.argus.tensorrt.TinyOnnx.node;
import static dev.argus.tensorrt.TinyOnnx.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.argus.onnxmodel.proto.OnnxSubset.AttributeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalDataTest {
    @TempDir
    Path dir;

    /** StringStringEntryProto {key = 1, value = 2}, as onnx.proto encodes external_data entries. */
    static ByteString entry(String key, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(out);
            c.writeString(1, key);
            c.writeString(2, value);
            c.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ByteString.copyFrom(out.toByteArray());
    }

    static TensorProto external(String name, String location) {
        return TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.FLOAT).addDims(4)
                .addExternalData(entry("location", location)).addExternalData(entry("offset", "0"))
                .addExternalData(entry("length", "16")).setDataLocation(1).build();
    }

    static ModelProto modelWithExternalWeights(String location) {
        return TinyOnnx.model(GraphProto.newBuilder().setName("g")
                .addInput(value("x", OnnxTypes.FLOAT, 1, 4)).addOutput(value("y", OnnxTypes.FLOAT, 1, 4))
                .addInitializer(external("w", location))
                .addNode(node("Add", "add", in("x", "w"), "y")));
    }

    private Path write(ModelProto model) throws IOException {
        Path p = dir.resolve("m.onnx");
        Files.write(p, model.toByteArray());
        return p;
    }

    @Test
    void aSelfContainedModelNamesNoFiles() throws IOException {
        Path p = write(TinyOnnx.model(GraphProto.newBuilder().setName("g")
                .addInput(value("x", OnnxTypes.FLOAT, 1, 2)).addOutput(value("y", OnnxTypes.FLOAT, 1, 2))
                .addInitializer(TinyOnnx.floats("w", 1f, 2f)).addNode(node("Add", "add", in("x", "w"), "y"))));
        assertThat(ExternalData.locations(p)).isEmpty();
    }

    @Test
    void initializersInExternalFilesAreFound() throws IOException {
        GraphProto.Builder g = modelWithExternalWeights("weights.bin").getGraph().toBuilder()
                .addInitializer(external("w2", "more/weights2.bin")).addInitializer(external("w3", "weights.bin"));
        Path p = write(TinyOnnx.model(g));
        assertThat(ExternalData.locations(p)).containsExactly("more/weights2.bin", "weights.bin");
    }

    @Test
    void tensorsInAttributesAndSubgraphsAreFound() throws IOException {
        GraphProto sub = GraphProto.newBuilder().setName("then")
                .addInitializer(external("s", "sub.bin")).build();
        AttributeProto constant = AttributeProto.newBuilder().setName("value").setType(4).setT(external("c", "const.bin")).build();
        AttributeProto branch = AttributeProto.newBuilder().setName("then_branch").setType(5).setG(sub.toByteString()).build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(value("x", OnnxTypes.FLOAT, 1)).addOutput(value("y", OnnxTypes.FLOAT, 1))
                .addNode(node("Constant", "k", in(), "c").addAttribute(constant))
                .addNode(node("If", "if", in("x"), "y").addAttribute(branch));
        assertThat(ExternalData.locations(write(TinyOnnx.model(g)))).containsExactly("const.bin", "sub.bin");
    }

    @Test
    void sparseInitializersAreFound() throws IOException {
        ByteArrayOutputStream sparse = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream c = com.google.protobuf.CodedOutputStream.newInstance(sparse);
        c.writeBytes(1, external("values", "sparse-values.bin").toByteString());
        c.writeBytes(2, external("indices", "sparse-indices.bin").toByteString());
        c.flush();
        GraphProto.Builder g = modelWithExternalWeights("dense.bin").getGraph().toBuilder()
                .addSparseInitializer(ByteString.copyFrom(sparse.toByteArray()));
        assertThat(ExternalData.locations(write(TinyOnnx.model(g))))
                .containsExactly("dense.bin", "sparse-indices.bin", "sparse-values.bin");
    }

    @Test
    void bytesThatAreNotAModelFail() throws IOException {
        Path p = dir.resolve("junk.onnx");
        Files.write(p, new byte[] {(byte) 0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2});
        assertThatThrownBy(() -> ExternalData.locations(p)).isInstanceOf(IOException.class);
    }

    @Test
    void aTruncatedModelFailsInsteadOfLookingSelfContained() throws IOException {
        byte[] whole = modelWithExternalWeights("w.bin").toByteArray();
        Path p = dir.resolve("cut.onnx");
        Files.write(p, java.util.Arrays.copyOf(whole, whole.length - 20));
        assertThatThrownBy(() -> ExternalData.locations(p)).isInstanceOf(IOException.class);
    }

    @Test
    void aNestedMessageClaimingNearlyTwoGibibytesFailsCleanly() throws IOException {
        // training_info (field 20) holding a graph (field 1) whose length is 2^31 - 1: protobuf's own limit arithmetic
        // overflowed and read outside its buffer (ArrayIndexOutOfBoundsException), found by OnnxFuzzTest
        Path p = dir.resolve("huge-length.onnx");
        Files.write(p, new byte[] {(byte) 0xa2, 0x01, 0x07, 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1});
        assertThatThrownBy(() -> ExternalData.locations(p)).isInstanceOf(IOException.class).hasMessageContaining("claims");
    }
}
