package dev.argus.tensorrt;

import dev.argus.onnxmodel.OnnxTypes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.argus.onnxmodel.proto.OnnxSubset.GraphProto;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.proto.OnnxSubset.NodeProto;
import dev.argus.onnxmodel.proto.OnnxSubset.TensorProto;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.Tensors;
import dev.argus.testkit.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The converter on the generated ResNet-50 and the probe model, checked without a GPU: ONNX Runtime on the CPU runs
 * the FP32 original and the FP16 conversion on the same inputs (ORT computes nodes that have no FP16 CPU kernel in
 * float32 between inserted casts, so this measures what FP16 weights and FP16 tensors between nodes do to the
 * logits, not TensorRT's FP16 kernels).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxFp16ConverterTest {
    /**
     * What FP16 weights alone do, measured on the same input: the FP32 model with every weight rounded to the
     * nearest FP16 value (still computed in float32). The converted model adds FP16 rounding of the tensors between
     * nodes (2^-11 relative, the same size as the weights' rounding), so it may be off by at most twice that.
     * Measured on the seeded ResNet-50: weights alone 0.034, converted 0.035 (1.5% of the largest |logit|, 2.33).
     */
    private static final double WEIGHT_ROUNDING_FACTOR = 2.0;
    /** And never more than 5% of the largest |logit| (a model the test data made chaotic would not hide an error). */
    private static final double RELATIVE_TOLERANCE = 0.05;

    private byte[] fp32;
    private byte[] fp16;

    @BeforeAll
    void convertResnet() throws IOException {
        fp32 = Files.readAllBytes(TestModels.resnet50Onnx());
        long t0 = System.nanoTime();
        fp16 = OnnxFp16Converter.convert(fp32);
        System.out.printf("ResNet-50 FP32 -> FP16: %d -> %d bytes in %d ms%n", fp32.length, fp16.length,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void resnet50LogitsStayCloseAndTheTopClassesStayTheSame() {
        float[] input = Tensors.readF32(TestModels.require("resnet50-reference-input.bin"));
        float[] expected = OrtCpu.run(fp32, input, 2, 3, 224, 224);
        float[] actual = OrtCpu.run(fp16, input, 2, 3, 224, 224);
        float[] weightsOnly = OrtCpu.run(withWeightsRoundedToFp16(fp32), input, 2, 3, 224, 224);
        assertThat(actual).hasSameSizeAs(expected).hasSize(2000);
        double maxLogit = IntStream.range(0, expected.length).mapToDouble(i -> Math.abs(expected[i])).max().orElseThrow();
        double diff = Tensors.maxAbsDiff(expected, actual);
        double weightRounding = Tensors.maxAbsDiff(expected, weightsOnly);
        System.out.printf("ResNet-50 FP16 vs FP32 (ONNX Runtime CPU): max |diff| %.6f (%.2f%% of the largest |logit| %.4f); "
                + "FP16-rounded weights alone: %.6f%n", diff, 100 * diff / maxLogit, maxLogit, weightRounding);
        assertThat(diff).isLessThan(WEIGHT_ROUNDING_FACTOR * weightRounding).isLessThan(RELATIVE_TOLERANCE * maxLogit);
        for (int row = 0; row < 2; row++) {
            assertThat(top(actual, row, 1)).as("top-1 of row %d", row).isEqualTo(top(expected, row, 1));
            assertThat(Set.copyOf(top(actual, row, 5))).as("top-5 of row %d", row).isEqualTo(Set.copyOf(top(expected, row, 5)));
        }
    }

    @Test
    void resnet50WeightsAreFloat16WhileInputAndOutputStayFloat() throws IOException {
        ModelProto before = ModelProto.parseFrom(fp32);
        ModelProto after = ModelProto.parseFrom(fp16);
        GraphProto g = after.getGraph();
        assertThat(g.getInitializerList()).hasSize(before.getGraph().getInitializerCount())
                .allSatisfy(t -> assertThat(t.getDataType()).as(t.getName()).isEqualTo(OnnxTypes.FLOAT16))
                .allSatisfy(t -> assertThat(t.getFloatDataCount()).isZero());
        assertThat(g.getInputList()).isEqualTo(before.getGraph().getInputList());
        assertThat(g.getOutputList()).isEqualTo(before.getGraph().getOutputList());
        NodeProto first = g.getNode(0);
        NodeProto last = g.getNode(g.getNodeCount() - 1);
        assertThat(first.getOpType()).isEqualTo("Cast");
        assertThat(first.getInputList()).containsExactly("pixel_values");
        assertThat(Fp16BoundaryCasts.castTarget(first)).isEqualTo(OnnxTypes.FLOAT16);
        assertThat(last.getOpType()).isEqualTo("Cast");
        assertThat(last.getOutputList()).containsExactly("logits");
        assertThat(Fp16BoundaryCasts.castTarget(last)).isEqualTo(OnnxTypes.FLOAT);
        assertThat(g.getNodeCount()).isEqualTo(before.getGraph().getNodeCount() + 2);
        assertThat(after.getOpsetImportList()).isEqualTo(before.getOpsetImportList());
        assertThat(after.getIrVersion()).isEqualTo(before.getIrVersion());
        assertThat(after.getUnknownFields()).as("producer name and version, kept").isEqualTo(before.getUnknownFields());
        double ratio = (double) fp16.length / fp32.length;
        System.out.printf("ResNet-50 FP16 size: %.3f of FP32%n", ratio);
        assertThat(ratio).isBetween(0.49, 0.51);
    }

    @Test
    void resnet50WeightsAreTheNearestHalves() throws IOException {
        TensorProto before = ModelProto.parseFrom(fp32).getGraph().getInitializer(0);
        TensorProto after = ModelProto.parseFrom(fp16).getGraph().getInitializer(0);
        assertThat(after.getName()).isEqualTo(before.getName());
        assertThat(after.getDimsList()).isEqualTo(before.getDimsList());
        ByteBuffer f32 = before.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f16 = after.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(f16.remaining() * 2).isEqualTo(f32.remaining());
        while (f32.hasRemaining()) {
            assertThat(f16.getShort()).isEqualTo(Float16.fromFloat(f32.getFloat()));
        }
    }

    @Test
    void anAlreadyConvertedModelIsPassedThroughUnchanged() {
        assertThat(OnnxFp16Converter.convert(fp16)).isSameAs(fp16);
    }

    @Test
    void probeGivesTheSameClassForEveryCaseAfterConversion() throws IOException {
        byte[] probe32 = Files.readAllBytes(TestModels.probeOnnx());
        byte[] probe16 = OnnxFp16Converter.convert(probe32);
        List<ProbeCase> cases = ProbeCase.all();
        int per = 3 * 224 * 224;
        float[] batch = new float[cases.size() * per];
        for (int i = 0; i < cases.size(); i++) {
            System.arraycopy(SimplePreprocessing.nchw(cases.get(i).bytes()), 0, batch, i * per, per);
        }
        float[] expected = OrtCpu.run(probe32, batch, cases.size(), 3, 224, 224);
        float[] actual = OrtCpu.run(probe16, batch, cases.size(), 3, 224, 224);
        System.out.printf("probe FP16 vs FP32: max |diff| %.6f over %d cases%n", Tensors.maxAbsDiff(expected, actual), cases.size());
        for (int i = 0; i < cases.size(); i++) {
            ProbeCase c = cases.get(i);
            int fp32Class = Tensors.argmax(expected, i * 1000, 1000);
            assertThat(Tensors.argmax(actual, i * 1000, 1000)).as(c.toString()).isEqualTo(fp32Class);
            if (!c.name().contains("exif")) { // this test's plain preprocessing ignores EXIF orientation
                assertThat(fp32Class).as("designed class of %s", c).isEqualTo(c.expectedClass());
            }
        }
    }

    /** The FP32 model with each weight replaced by the float32 value of its nearest FP16: what FP16 weights alone do. */
    private static byte[] withWeightsRoundedToFp16(byte[] model) {
        ModelProto m = OnnxFp16Converter.parse(model);
        GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            FloatBuffer in = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            ByteBuffer out = ByteBuffer.allocate(in.remaining() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining()) {
                out.putFloat(Float16.toFloat(Float16.fromFloat(in.get())));
            }
            g.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(out.array())));
        }
        return m.toBuilder().setGraph(g).build().toByteArray();
    }

    private static List<Integer> top(float[] logits, int row, int k) {
        return IntStream.range(0, 1000).boxed()
                .sorted((a, b) -> Float.compare(logits[row * 1000 + b], logits[row * 1000 + a]))
                .limit(k).collect(Collectors.toList());
    }
}
