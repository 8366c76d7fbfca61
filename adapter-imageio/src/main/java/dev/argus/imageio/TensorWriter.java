package dev.argus.imageio;

import dev.argus.domain.ChannelOrder;
import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.TensorLayout;

/** Turns packed 8-bit RGB into the model's floats: {@code (v * scale - mean[c]) / std[c]}, in its channel order and layout. */
final class TensorWriter {
    private TensorWriter() {
    }

    static void write(byte[] rgb, PreprocessSpec spec, float[] dst, int offset) {
        int pixels = spec.inputWidth() * spec.inputHeight();
        float[][] lut = lookupTables(spec);
        // Source channel (0 = R, 1 = G, 2 = B) of each output channel; mean and std are in the output's order.
        int[] source = spec.channelOrder() == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
        if (spec.layout() == TensorLayout.NCHW) {
            for (int c = 0; c < 3; c++) {
                float[] t = lut[c];
                int s = source[c];
                int o = offset + c * pixels;
                for (int p = 0; p < pixels; p++) {
                    dst[o + p] = t[rgb[p * 3 + s] & 0xFF];
                }
            }
        } else {
            for (int p = 0; p < pixels; p++) {
                int o = offset + p * 3;
                dst[o] = lut[0][rgb[p * 3 + source[0]] & 0xFF];
                dst[o + 1] = lut[1][rgb[p * 3 + source[1]] & 0xFF];
                dst[o + 2] = lut[2][rgb[p * 3 + source[2]] & 0xFF];
            }
        }
    }

    /** All 256 possible values per channel, computed in float as the reference does. */
    private static float[][] lookupTables(PreprocessSpec spec) {
        float scale = spec.scale();
        float[] mean = spec.mean();
        float[] std = spec.std();
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v * scale - mean[c]) / std[c];
            }
        }
        return lut;
    }
}
