package dev.argus.onnxmodel.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.onnxmodel.OnnxModelException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantizationPlanTest {
    private static QuantizationOptions all() {
        return new QuantizationOptions(8, false, false, Set.of());
    }

    @Test
    void quantizesConvGemmAndAddWithTheirActivations() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), all());
        assertThat(plan.quantizedNodeNames()).containsExactly("conv1", "conv2", "conv3", "fc", "add");
        assertThat(plan.keptFloat()).isEmpty();
        // inputs of quantized nodes, and their outputs after a ReLU folded in (r1, r2, r3 rather than c1, c2, a)
        // and GlobalAveragePool's output, which Flatten passes on to the Gemm with its scale
        assertThat(plan.activations()).containsExactlyInAnyOrder("x", "r1", "p1", "r2", "c3", "r3", "g", "f");
        assertThat(plan.activations()).doesNotContain("c1", "c2", "a", "logits");
    }

    @Test
    void passThroughOpsShareTheirInputsScale() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), all());
        assertThat(plan.scaleSource("p1")).isEqualTo("r1");
        assertThat(plan.scaleSource("f")).isEqualTo("g");
        assertThat(plan.tensorsToCalibrate()).contains("r1", "g").doesNotContain("p1", "f");
    }

    @Test
    void keepsTheFirstAndLastLayersInFloatWhenAsked() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), QuantizationOptions.defaults());
        assertThat(plan.keptFloat()).containsExactly("conv1", "fc");
        assertThat(plan.quantizedNodeNames()).containsExactly("conv2", "conv3", "add");
        assertThat(plan.activations()).doesNotContain("x", "g", "f");
        // conv1 stays float, but its ReLU's output is quantized: MaxPool passes it on to conv2 and to the Add in int8
        assertThat(plan.activations()).contains("r1", "p1");
    }

    @Test
    void keepsNamedNodesInFloat() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), new QuantizationOptions(8, false, false, Set.of("conv2", "add")));
        assertThat(plan.quantizedNodeNames()).containsExactly("conv1", "conv3", "fc");
        assertThat(plan.keptFloat()).containsExactly("conv2");
    }

    @Test
    void keepsNodesByNamePrefix() {
        QuantizationPlan plan = QuantizationPlan.of(MiniResNet.model(17), new QuantizationOptions(8, false, false, Set.of("conv*")));
        assertThat(plan.keptFloat()).containsExactly("conv1", "conv2", "conv3");
        // the Add's inputs now come from float convolutions only: it stays float too
        assertThat(plan.quantizedNodeNames()).containsExactly("fc");
    }

    @Test
    void refusesOpsetsWithoutPerAxisDequantize() {
        assertThatThrownBy(() -> QuantizationPlan.of(MiniResNet.model(12), all()))
                .isInstanceOf(OnnxModelException.class).hasMessageContaining("opset 12").hasMessageContaining("13 or later");
    }
}
