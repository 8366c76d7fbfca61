package dev.argus.onnxmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {
    private static ModelProto tiny() {
        return new GraphBuilder().input("x", -1, 2).output("y", -1, 2).node("Relu", "r", "h", "x").node("Neg", "n", "y", "h")
                .model(17);
    }

    @Test
    void metadataIsAddedAndReplacedByKey() {
        ModelProto m = OnnxModels.withMetadata(tiny(), Map.of("precision", "fp32", "a", "1"));
        m = OnnxModels.withMetadata(OnnxModels.parse(m.toByteArray()), Map.of("precision", "int8"));
        assertThat(OnnxModels.metadata(m)).containsEntry("precision", "int8").containsEntry("a", "1").hasSize(2);
    }

    @Test
    void intermediateTensorsBecomeExtraOutputsOnce() {
        ModelProto m = OnnxModels.withFloatOutputs(tiny(), List.of("h", "y", "h"));
        assertThat(m.getGraph().getOutputList()).extracting(ValueInfoProto::getName).containsExactly("y", "h");
    }

    @Test
    void bytesThatAreNotAModelAreRefused() {
        assertThatThrownBy(() -> OnnxModels.parse(new byte[] {1, 2, 3})).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("Not an ONNX model");
        assertThat(OnnxModels.defaultOpset(tiny())).isEqualTo(17);
    }

    @Test
    void metadataIsReadFromAFileInOrderWithTheGraphSkipped(@TempDir Path dir) throws IOException {
        // the graph (field 7) comes before metadata_props (14) on the wire, as every ONNX writer orders them
        ModelProto m = OnnxModels.withMetadata(tiny(), new java.util.LinkedHashMap<>(Map.of("precision", "int8")));
        m = OnnxModels.withMetadata(m, Map.of("quantization.agreement.top1", "0.9950"));
        Path file = Files.write(dir.resolve("m.onnx"), m.toByteArray());
        assertThat(OnnxModels.metadata(file)).containsExactly(Map.entry("precision", "int8"),
                Map.entry("quantization.agreement.top1", "0.9950"));
        assertThat(OnnxModels.metadata(Files.write(dir.resolve("plain.onnx"), tiny().toByteArray()))).isEmpty();
    }

    @Test
    void aFileThatIsNotProtobufIsRefusedWhenItsMetadataIsRead(@TempDir Path dir) throws IOException {
        // field 1 as a length-delimited value that runs past the end of the file
        Path file = Files.write(dir.resolve("bad.onnx"), new byte[] {0x0a, 0x7f, 1, 2});
        assertThatThrownBy(() -> OnnxModels.metadata(file)).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("Not an ONNX model").hasMessageContaining("bad.onnx");
        // metadata_props (field 14) claiming 2 GiB - 1 bytes in a file of 8: refused, nothing of that size allocated
        Path huge = Files.write(dir.resolve("huge.onnx"), new byte[] {0x72, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2});
        assertThatThrownBy(() -> OnnxModels.metadata(huge)).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("Not an ONNX model");
    }
}
