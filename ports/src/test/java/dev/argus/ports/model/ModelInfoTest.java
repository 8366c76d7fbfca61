package dev.argus.ports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelInfoTest {
    private static ModelInfo with(Map<String, String> properties) {
        return new ModelInfo("onnx", "m", "engine", Optional.empty(), 1000, Optional.empty(), properties);
    }

    @Test
    void aQuantizedModelSummarisesItsPrecisionAndRecordedAgreement() {
        ModelInfo info = with(Map.of("precision", "int8", "quantization.agreement.images", "200",
                "quantization.agreement.top1", "0.9950", "quantization.agreement.top5_overlap", "0.9810",
                "quantization.agreement.max_score_difference", "0.0123", "producer", "x",
                "quantization.agreement.top1_lower95", "0.9824"));
        assertThat(info.precision()).contains("int8");
        assertThat(info.precisionSummary()).isEqualTo("precision int8; agreement with the float model on 200 held-out "
                + "images: top-1 0.9950 (at least 0.9824 at 95% confidence), mean top-5 overlap 0.9810, largest score difference 0.0123");
        assertThat(info.quantization()).containsOnlyKeys("agreement.images", "agreement.top1", "agreement.top5_overlap",
                "agreement.max_score_difference", "agreement.top1_lower95");
        assertThat(new java.util.ArrayList<>(info.properties().keySet())).isSorted();
    }

    @Test
    void aModelThatRecordsNothingSaysSo() {
        ModelInfo info = new ModelInfo("onnx", "m", "engine", Optional.empty(), 1000);
        assertThat(info.properties()).isEmpty();
        assertThat(info.precision()).isEmpty();
        assertThat(info.precisionSummary()).isEqualTo("precision not recorded");
        assertThat(with(Map.of("precision", "fp16")).precisionSummary()).isEqualTo("precision fp16");
    }

    @Test
    void propertiesAreACopyThatCannotChange() {
        Map<String, String> source = new HashMap<>(Map.of("precision", "int8"));
        ModelInfo info = with(source);
        source.put("precision", "fp32");
        assertThat(info.precision()).contains("int8");
        assertThatThrownBy(() -> info.properties().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
