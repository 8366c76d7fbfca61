package dev.argus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading raw tensors written by the test setup, and comparing them. */
public final class Tensors {
    private Tensors() {
    }

    /** Reads a raw little-endian float32 file. */
    public static float[] readF32(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a raw little-endian float64 file. */
    public static double[] readF64(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            double[] out = new double[bytes.length / 8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generated ResNet-50's logits for {@code resnet50-reference-input.bin}, computed by PyTorch in float64 from
     * the float32 weights: what every float32 engine is held to, so that no other engine's float32 rounding (whose
     * kernels differ between CPUs) adds to the engine's own.
     */
    public static double[] resnet50ReferenceLogits() {
        return readF64(TestModels.require("resnet50-reference-logits64.bin"));
    }

    /** Largest absolute element-wise difference from an exact (float64) reference. */
    public static double maxAbsDiff(float[] a, double[] exact) {
        if (a.length != exact.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + exact.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - exact[i]));
        }
        return max;
    }

    /** Largest absolute element-wise difference. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /**
     * A preprocessed image of one solid colour, as the ResNet-50 preprocessing makes it (resizing a uniform image
     * changes nothing): NCHW, /255, ImageNet mean and std.
     */
    public static float[] solidNchw(int rgb, int size) {
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        int[] c = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
        float[] out = new float[3 * size * size];
        for (int ch = 0; ch < 3; ch++) {
            float v = (c[ch] / 255f - mean[ch]) / std[ch];
            java.util.Arrays.fill(out, ch * size * size, (ch + 1) * size * size, v);
        }
        return out;
    }

    /** Index of the largest value in {@code v[offset .. offset+n)}. */
    public static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[offset + i] > v[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
