package dev.argus.onnxmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ValueInfoProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
