package dev.argus.app.quantize;

import dev.argus.domain.ArgusException;
import dev.argus.domain.PreprocessSpec;
import dev.argus.onnx.OnnxModelRunner;
import dev.argus.onnxmodel.OnnxModelException;
import dev.argus.onnxmodel.OnnxModels;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import dev.argus.onnxmodel.quant.ActivationStatistics;
import dev.argus.onnxmodel.quant.CalibrationMethod;
import dev.argus.onnxmodel.quant.QdqQuantizer;
import dev.argus.onnxmodel.quant.QuantizationOptions;
import dev.argus.onnxmodel.quant.QuantizationPlan;
import dev.argus.onnxmodel.quant.TensorRange;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An fp32 ONNX classifier made int8 from the user's images: calibrate (run the float model with the planned activation
 * tensors as extra outputs, over calibration images preprocessed as serving does), rewrite to QDQ, then measure the
 * int8 model against the float one on held-out images. The result carries the measurement in its metadata; whether
 * it is good enough to write is the caller's decision ({@link Outcome#failures}).
 */
public final class ModelQuantizer {
    /** Where the work stands: {@code phase} ("calibrating", "checking"), images done of {@code total}. */
    public interface Progress {
        void update(String phase, int done, int total);
    }

    public record Settings(QuantizationOptions options, CalibrationMethod method, Agreement.Thresholds thresholds,
                           int batchSize, int threads, String target) {
    }

    public record Outcome(ModelProto model, Agreement.Summary agreement, List<String> failures, QuantizationPlan plan) {
    }

    private final ImagePreprocessor preprocessor;
    private final PreprocessSpec spec;
    private final String outputName;
    private final Progress progress;

    /** @param outputName the model output to compare (the logits), or empty for the model's first output */
    public ModelQuantizer(ImagePreprocessor preprocessor, PreprocessSpec spec, String outputName, Progress progress) {
        this.preprocessor = preprocessor;
        this.spec = spec;
        this.outputName = outputName;
        this.progress = progress;
    }

    public Outcome quantize(byte[] fp32, List<Path> calibration, List<Path> heldOut, Settings s) {
        ModelProto model;
        QuantizationPlan plan;
        try {
            model = OnnxModels.parse(fp32);
            plan = QuantizationPlan.of(model, s.options());
        } catch (OnnxModelException e) {
            throw ArgusException.modelUnavailable("Cannot quantize the model: " + e.getMessage(), e);
        }
        if (plan.quantizedNodeNames().isEmpty()) {
            throw ArgusException.modelUnavailable("The model has no Conv, Gemm or MatMul with constant weights left to "
                    + "quantize" + (plan.keptFloat().isEmpty() ? "" : " (kept in float: " + plan.keptFloat() + "; see --keep-fp32)") + ".", null);
        }
        String output = outputName.isEmpty() ? model.getGraph().getOutput(0).getName() : outputName;
        Map<String, TensorRange> ranges = calibrate(model, plan, calibration, s);
        ModelProto int8;
        try {
            int8 = QdqQuantizer.quantize(plan, ranges);
        } catch (OnnxModelException e) {
            throw ArgusException.modelUnavailable("Cannot quantize the model: " + e.getMessage(), e);
        }
        Agreement agreement = new Agreement();
        try (OnnxModelRunner reference = OnnxModelRunner.open(fp32, "the float model", s.threads());
             OnnxModelRunner candidate = OnnxModelRunner.open(int8.toByteArray(), "the quantized model", s.threads())) {
            forEachBatch(heldOut, s.batchSize(), "checking", (input, shape, n) -> {
                float[] a = reference.run(input, shape, Set.of(output)).get(output);
                float[] b = candidate.run(input, shape, Set.of(output)).get(output);
                agreement.add(a, b, a.length / n);
            });
        }
        Agreement.Summary summary = agreement.summary();
        ModelProto described = OnnxModels.withMetadata(int8, metadata(plan, s, calibration.size(), summary));
        return new Outcome(described, summary, summary.failures(s.thresholds()), plan);
    }

    private Map<String, TensorRange> calibrate(ModelProto model, QuantizationPlan plan, List<Path> images, Settings s) {
        List<String> tensors = plan.tensorsToCalibrate();
        ActivationStatistics stats = new ActivationStatistics();
        byte[] instrumented = OnnxModels.withFloatOutputs(model, tensors).toByteArray();
        try (OnnxModelRunner runner = OnnxModelRunner.open(instrumented, "the float model", s.threads())) {
            Set<String> wanted = new HashSet<>(tensors);
            forEachBatch(images, s.batchSize(), "calibrating", (input, shape, n) -> {
                try {
                    runner.run(input, shape, wanted).forEach(stats::add);
                } catch (IllegalArgumentException e) {
                    throw ArgusException.modelUnavailable("Calibration cannot use the float model's values: " + e.getMessage()
                            + " (the model overflows float32 on these images).", e);
                }
            });
        }
        return stats.ranges(s.method());
    }

    private interface BatchBody {
        void run(float[] input, long[] shape, int images);
    }

    private void forEachBatch(List<Path> files, int batchSize, String phase, BatchBody body) {
        int per = spec.valuesPerImage();
        progress.update(phase, 0, files.size());
        for (int from = 0; from < files.size(); from += batchSize) {
            int n = Math.min(batchSize, files.size() - from);
            float[] input = new float[n * per];
            for (int i = 0; i < n; i++) {
                Path file = files.get(from + i);
                try {
                    preprocessor.preprocess(Files.readAllBytes(file), spec, input, i * per);
                } catch (IOException e) {
                    throw ArgusException.invalidInput("Cannot read " + file + ": " + e.getMessage(), e);
                } catch (ArgusException e) {
                    throw ArgusException.invalidInput(file + ": " + e.getMessage() + " Remove it from the folder.", e);
                }
            }
            body.run(input, spec.batchShape(n), n);
            progress.update(phase, from + n, files.size());
        }
    }

    private static Map<String, String> metadata(QuantizationPlan plan, Settings s, int calibrationImages, Agreement.Summary a) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelInfo.PRECISION, "int8");
        m.put(ModelInfo.QUANTIZATION_PREFIX + "format", "QDQ: activations uint8 per tensor (asymmetric), weights int8 per output channel "
                + "(symmetric, " + s.options().weightBits() + "-bit), biases int32");
        m.put(ModelInfo.QUANTIZATION_PREFIX + "target", s.target());
        m.put(ModelInfo.QUANTIZATION_PREFIX + "calibration.method", s.method().toString());
        m.put(ModelInfo.QUANTIZATION_PREFIX + "calibration.images", Integer.toString(calibrationImages));
        m.put(ModelInfo.QUANTIZATION_PREFIX + "kept_fp32", String.join(",", plan.keptFloat()));
        m.put(ModelInfo.QUANTIZATION_PREFIX + "quantized_nodes", Integer.toString(plan.quantizedNodeNames().size()));
        m.put(ModelInfo.AGREEMENT_PREFIX + "images", Long.toString(a.images()));
        m.put(ModelInfo.AGREEMENT_PREFIX + "top1", String.format(Locale.ROOT, "%.4f", a.top1()));
        m.put(ModelInfo.AGREEMENT_PREFIX + "top1_lower95", String.format(Locale.ROOT, "%.4f", a.top1LowerBound()));
        m.put(ModelInfo.AGREEMENT_PREFIX + "top5_overlap", String.format(Locale.ROOT, "%.4f", a.meanTop5Overlap()));
        m.put(ModelInfo.AGREEMENT_PREFIX + "max_score_difference", String.format(Locale.ROOT, "%.4f", a.largestScoreDifference()));
        return m;
    }
}
