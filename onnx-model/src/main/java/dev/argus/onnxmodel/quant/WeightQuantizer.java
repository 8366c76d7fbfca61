package dev.argus.onnxmodel.quant;

/**
 * Symmetric per-channel quantization of a weight: channel {@code c} (along {@code axis}) gets
 * {@code scale[c] = max|w_c| / weightMax} and zero point 0, each value {@code round(w / scale[c])} (half to even),
 * clamped to {@code [-weightMax, weightMax]}. A channel of zeros gets scale 1.
 */
final class WeightQuantizer {
    record Quantized(byte[] values, float[] scales) {
    }

    private WeightQuantizer() {
    }

    static Quantized quantize(float[] w, long[] dims, int axis, int weightMax) {
        int channels = (int) dims[axis];
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (int) ((i / inner) % channels);
            max[c] = Math.max(max[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = max[c] > 0 ? max[c] / weightMax : 1f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (int) ((i / inner) % channels);
            double v = Math.rint(w[i] / scales[c]);
            q[i] = (byte) Math.max(-weightMax, Math.min(weightMax, v));
        }
        return new Quantized(q, scales);
    }

    /** A bias as int32 at scale {@code inputScale * weightScales[c]}, as the integer kernels add it to their sums. */
    static int[] bias(float[] b, float inputScale, float[] weightScales, float[] biasScales) {
        int[] q = new int[b.length];
        for (int c = 0; c < b.length; c++) {
            biasScales[c] = inputScale * weightScales[c];
            double v = Math.rint(b[c] / biasScales[c]);
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        return q;
    }
}
