package dev.argus.onnxmodel.quant;

/**
 * How one activation tensor is stored as uint8: {@code real = (q - zeroPoint) * scale}. The range always holds 0 (so
 * that zero padding and ReLU's zero are exact), and {@code zeroPoint} is 0 for a range starting at 0, which lets ONNX
 * Runtime drop a ReLU in front of the QuantizeLinear.
 */
public record QuantParams(float scale, int zeroPoint) {
    static final int U8_MAX = 255;

    /** uint8, asymmetric, over {@code range} widened to hold 0. */
    public static QuantParams uint8(TensorRange range) {
        double lo = Math.min(range.min(), 0f);
        double hi = Math.max(range.max(), 0f);
        if (hi - lo < 1e-12) {
            return new QuantParams(1f, 0);
        }
        float scale = (float) ((hi - lo) / U8_MAX);
        int zero = (int) Math.round(-lo / scale);
        return new QuantParams(scale, Math.max(0, Math.min(U8_MAX, zero)));
    }

    /** The value {@code x} becomes after QuantizeLinear and DequantizeLinear (round half to even, saturate). */
    public float roundTrip(float x) {
        double q = Math.rint(x / scale) + zeroPoint;
        q = Math.max(0, Math.min(U8_MAX, q));
        return (float) ((q - zeroPoint) * scale);
    }
}
