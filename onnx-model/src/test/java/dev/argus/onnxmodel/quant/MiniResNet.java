package dev.argus.onnxmodel.quant;

import dev.argus.onnxmodel.GraphBuilder;
import dev.argus.onnxmodel.proto.OnnxSubset.ModelProto;
import java.util.Random;

/**
 * A residual block in miniature, with ResNet's node units: Conv+Relu, MaxPool, Conv+Relu, Conv, Add+Relu,
 * GlobalAveragePool, Flatten, Gemm (transB=1). Input {@code x [N, 3, 8, 8]}, output {@code logits [N, 10]}; seeded
 * weights. Shared with adapter-onnx's tests (this module's test-jar), which run the quantized graphs in ONNX Runtime.
 */
public final class MiniResNet {
    private MiniResNet() {
    }

    /** {@code n} seeded Gaussian values of standard deviation {@code scale}. */
    public static float[] random(Random r, int n, float scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * scale);
        }
        return out;
    }

    /** The block with 4 channels. */
    static ModelProto model(int opset) {
        return model(opset, 4);
    }

    /** The block with {@code c} channels in its convolutions. */
    public static ModelProto model(int opset, int c) {
        Random r = new Random(7);
        long[] pads = {1, 1, 1, 1};
        return new GraphBuilder()
                .input("x", -1, 3, 8, 8).output("logits", -1, 10)
                .weight("w1", random(r, c * 3 * 3 * 3, 0.3f), c, 3, 3, 3).weight("b1", random(r, c, 0.1f), c)
                .weight("w2", random(r, c * c * 3 * 3, 0.2f), c, c, 3, 3).weight("b2", random(r, c, 0.1f), c)
                .weight("w3", random(r, c * c, 0.4f), c, c, 1, 1).weight("b3", random(r, c, 0.1f), c)
                .weight("wf", random(r, 10 * c, 0.5f), 10, c).weight("bf", random(r, 10, 0.1f), 10)
                .node("Conv", "conv1", "c1", new String[] {"x", "w1", "b1"}, "pads", pads)
                .node("Relu", "relu1", "r1", "c1")
                .node("MaxPool", "pool", "p1", new String[] {"r1"}, "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2})
                .node("Conv", "conv2", "c2", new String[] {"p1", "w2", "b2"}, "pads", pads)
                .node("Relu", "relu2", "r2", "c2")
                .node("Conv", "conv3", "c3", "r2", "w3", "b3")
                .node("Add", "add", "a", "c3", "p1")
                .node("Relu", "relu3", "r3", "a")
                .node("GlobalAveragePool", "gap", "g", "r3")
                .node("Flatten", "flatten", "f", "g")
                .node("Gemm", "fc", "logits", new String[] {"f", "wf", "bf"}, "transB", 1)
                .model(opset);
    }
}
