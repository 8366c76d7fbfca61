package dev.argus.onnxmodel.quant;

/** The range of values an activation tensor is quantized over, as calibration chose it. */
public record TensorRange(float min, float max) {
    public TensorRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("a range needs finite min <= max, got [" + min + ", " + max + "]");
        }
    }
}
