package dev.argus.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.onnxmodel.GraphBuilder;
import dev.argus.onnxmodel.OnnxModels;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.quant.ActivationStatistics;
import dev.argus.onnxmodel.quant.CalibrationMethod;
import dev.argus.onnxmodel.quant.MiniResNet;
import dev.argus.onnxmodel.quant.QdqQuantizer;
import dev.argus.onnxmodel.quant.QuantizationOptions;
import dev.argus.onnxmodel.quant.QuantizationPlan;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model shape the quantizer writes loads in ONNX Runtime (which fuses the QDQ units into integer kernels) and
 * computes what the float model computes, within int8's error.
 */
class OnnxQuantizedModelsTest {
    private static final int BATCH = 8;

    static float[] random(Random r, int n, float scale) {
        return MiniResNet.random(r, n, scale);
    }

    /** onnx-model's test graph, with 8 channels: Conv+Relu, MaxPool, Conv+Relu, Conv, Add+Relu, GAP, Flatten, Gemm. */
    static ModelProto miniResNet() {
        return MiniResNet.model(17, 8);
    }

    /** MatMul, Add of a second MatMul, Relu, Gemm (transB=0): x [N,16]. */
    static ModelProto mlp() {
        Random r = new Random(11);
        return new GraphBuilder()
                .input("x", -1, 16).output("y", -1, 4)
                .weight("w1", random(r, 16 * 12, 0.3f), 16, 12).weight("w2", random(r, 16 * 12, 0.3f), 16, 12)
                .weight("w3", random(r, 12 * 4, 0.3f), 12, 4).weight("b3", random(r, 4, 0.1f), 4)
                .node("MatMul", "mm1", "h1", "x", "w1")
                .node("MatMul", "mm2", "h2", "x", "w2")
                .node("Add", "add", "h", "h1", "h2")
                .node("Relu", "relu", "hr", "h")
                .node("Gemm", "fc", "y", "hr", "w3", "b3")
                .model(17);
    }

    static Stream<Arguments> cases() {
        QuantizationOptions all = new QuantizationOptions(8, false, false, Set.of());
        return Stream.of(
                Arguments.of("mini-resnet, all layers int8", miniResNet(), new long[] {3, 8, 8}, all),
                Arguments.of("mini-resnet, first and last float", miniResNet(), new long[] {3, 8, 8}, QuantizationOptions.defaults()),
                Arguments.of("mini-resnet, 7-bit weights", miniResNet(), new long[] {3, 8, 8}, new QuantizationOptions(7, false, false, Set.of())),
                Arguments.of("mlp, all layers int8", mlp(), new long[] {16}, all));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loadsAndAgreesWithTheFloatModel(String name, ModelProto model, long[] sample, QuantizationOptions options) {
        QuantizationPlan plan = QuantizationPlan.of(model, options);
        assertThat(plan.quantizedNodeNames()).isNotEmpty();
        long[] shape = new long[sample.length + 1];
        shape[0] = BATCH;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        int values = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        String output = model.getGraph().getOutput(0).getName();

        ActivationStatistics stats = new ActivationStatistics();
        List<String> tensors = plan.tensorsToCalibrate();
        try (OnnxModelRunner calibrating = OnnxModelRunner.open(OnnxModels.withFloatOutputs(model, tensors).toByteArray(), "calibration", 1)) {
            Random r = new Random(1);
            for (int i = 0; i < 8; i++) {
                calibrating.run(random(r, values, 1f), shape, new HashSet<>(tensors)).forEach(stats::add);
            }
        }
        ModelProto quantized = QdqQuantizer.quantize(plan, stats.ranges(CalibrationMethod.minMax()));

        // checked on a batch calibration saw: this test is about ONNX Runtime running the rewritten graph as the float
        // one, not about how well a range from 64 random samples generalises
        float[] input = random(new Random(1), values, 1f);
        float[] expected;
        float[] actual;
        try (OnnxModelRunner fp32 = OnnxModelRunner.open(model.toByteArray(), "float", 1);
             OnnxModelRunner int8 = OnnxModelRunner.open(quantized.toByteArray(), "int8", 1)) {
            expected = fp32.run(input, shape, Set.of(output)).get(output);
            actual = int8.run(input, shape, Set.of(output)).get(output);
        }
        float peak = 0;
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            peak = Math.max(peak, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(peak).isPositive();
        // int8 steps of about 1/255 of each range, over a few layers: a few percent of the largest output
        assertThat(worst / peak).as(name + ": largest error relative to the largest output").isLessThan(0.06f);
        assertThat(worst).as("the int8 model is really another model").isPositive();
    }
}
