package dev.argus.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Builds TensorFlow SavedModels of the test models from the weights the test setup exported
 * ({@code build/test-models/weights/<model>/index.json}), with TF Java's graph API: the torchvision ResNet-50 (v1.5)
 * and the probe. Signature {@code serving_default}: {@code pixel_values} in, {@code logits} out, dynamic batch.
 * <ul>
 *   <li>The input is NCHW, like PyTorch's; the graph transposes it to NHWC (TensorFlow's CPU convolutions need NHWC).
 *       {@code nhwcInput} makes a model that takes NHWC directly.</li>
 *   <li>Padding is explicit and symmetric, as PyTorch pads; TF's "SAME" pads asymmetrically at stride 2.</li>
 *   <li>BatchNorm is folded into the convolution before it (in double precision): w' = w g / sqrt(v + eps),
 *       b' = beta - mean g / sqrt(v + eps).</li>
 *   <li>Weights are graph constants (variables would double the size on disk).</li>
 * </ul>
 * The TensorFlow natives must be loaded first ({@code Engine.getEngine("TensorFlow")}).
 */
final class TfSavedModelBuilder {
    private final Map<String, float[]> weights = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    private double bnEps;
    private Ops tf;

    private TfSavedModelBuilder() {
    }

    /** Builds the SavedModel for the weights in {@code weightsDir} into {@code exportDir} (which must not exist). */
    static void build(Path weightsDir, Path exportDir, boolean nhwcInput) throws IOException {
        TfSavedModelBuilder b = new TfSavedModelBuilder();
        String architecture = b.load(weightsDir);
        try (Graph g = new Graph(); Session s = new Session(g)) {
            b.tf = Ops.create(g);
            Placeholder<TFloat32> x = b.tf.withName("pixel_values").placeholder(TFloat32.class, Placeholder.shape(
                    nhwcInput ? Shape.of(-1, 224, 224, 3) : Shape.of(-1, 3, 224, 224)));
            Operand<TFloat32> nhwc = nhwcInput ? x : b.tf.linalg.transpose(x, b.tf.constant(new int[] {0, 2, 3, 1}));
            Operand<TFloat32> logits = switch (architecture) {
                case "resnet50" -> b.resnet50(nhwc);
                case "probe" -> b.probe(nhwc);
                default -> throw new IllegalArgumentException("unknown architecture " + architecture + " in " + weightsDir);
            };
            Operand<TFloat32> out = b.tf.withName("logits").identity(logits);
            Signature sig = Signature.builder().key(Signature.DEFAULT_KEY).input("pixel_values", x).output("logits", out).build();
            SavedModelBundle.exporter(exportDir.toString()).withFunction(SessionFunction.create(sig, s)).export();
        }
    }

    private String load(Path dir) throws IOException {
        JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
        bnEps = index.path("bn_eps").asDouble(1e-5);
        for (JsonNode t : index.get("tensors")) {
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(t.get("file").asText()));
            float[] v = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            weights.put(t.get("name").asText(), v);
            shapes.put(t.get("name").asText(), shape);
        }
        return index.get("architecture").asText();
    }

    // ---- ResNet-50 (torchvision v1.5: the stride sits on the 3x3 convolution) ----

    private Operand<TFloat32> resnet50(Operand<TFloat32> x) {
        Operand<TFloat32> h = tf.nn.relu(convBn(x, "conv1", "bn1", 2, 3));
        h = tf.pad(h, paddings(1), tf.constant(0f)); // after ReLU, zero padding = PyTorch's -inf padding for max
        h = tf.nn.maxPool(h, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
        int[] blocks = {3, 4, 6, 3};
        for (int layer = 0; layer < 4; layer++) {
            for (int block = 0; block < blocks[layer]; block++) {
                h = bottleneck(h, "layer" + (layer + 1) + "." + block, block == 0 && layer > 0 ? 2 : 1);
            }
        }
        Operand<TFloat32> pooled = tf.math.mean(h, tf.constant(new int[] {1, 2})); // [N, 2048]
        return dense(pooled, "fc");
    }

    private Operand<TFloat32> bottleneck(Operand<TFloat32> x, String p, int stride) {
        Operand<TFloat32> h = tf.nn.relu(convBn(x, p + ".conv1", p + ".bn1", 1, 0));
        h = tf.nn.relu(convBn(h, p + ".conv2", p + ".bn2", stride, 1));
        h = convBn(h, p + ".conv3", p + ".bn3", 1, 0);
        Operand<TFloat32> identity = weights.containsKey(p + ".downsample.0.weight")
                ? convBn(x, p + ".downsample.0", p + ".downsample.1", stride, 0)
                : x;
        return tf.nn.relu(tf.math.add(h, identity));
    }

    /** Convolution (PyTorch weight [out,in,kh,kw]) with the BatchNorm after it folded in, explicit symmetric padding. */
    private Operand<TFloat32> convBn(Operand<TFloat32> x, String conv, String bn, int stride, int pad) {
        float[] w = weights.get(conv + ".weight");
        long[] s = shapes.get(conv + ".weight");
        int out = (int) s[0], in = (int) s[1], kh = (int) s[2], kw = (int) s[3];
        float[] gamma = weights.get(bn + ".weight"), beta = weights.get(bn + ".bias");
        float[] mean = weights.get(bn + ".running_mean"), var = weights.get(bn + ".running_var");
        float[] hwio = new float[w.length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + bnEps);
            bias[o] = (float) (beta[o] - mean[o] * scale);
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        float v = w[((o * in + i) * kh + y) * kw + xx];
                        hwio[((y * kw + xx) * in + i) * out + o] = (float) (v * scale);
                    }
                }
            }
        }
        Operand<TFloat32> h = pad > 0 ? tf.pad(x, paddings(pad), tf.constant(0f)) : x;
        Operand<TFloat32> filter = tf.constant(Shape.of(kh, kw, in, out), DataBuffers.of(hwio, true, false));
        h = tf.nn.conv2d(h, filter, List.of(1L, (long) stride, (long) stride, 1L), "VALID", Conv2d.dataFormat("NHWC"));
        return tf.nn.biasAdd(h, tf.constant(Shape.of(out), DataBuffers.of(bias, true, false)));
    }

    private Operand<org.tensorflow.types.TInt32> paddings(int p) {
        return tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}});
    }

    /** x [N, in] times PyTorch's Linear weight [out, in] transposed, plus bias. */
    private Operand<TFloat32> dense(Operand<TFloat32> x, String name) {
        long[] s = shapes.get(name + ".weight");
        Operand<TFloat32> w = tf.constant(Shape.of(s[0], s[1]), DataBuffers.of(weights.get(name + ".weight"), true, false));
        Operand<TFloat32> b = tf.constant(Shape.of(s[0]), DataBuffers.of(weights.get(name + ".bias"), true, false));
        return tf.nn.biasAdd(tf.linalg.matMul(x, w, MatMul.transposeB(true)), b);
    }

    // ---- probe: AvgPool2d(112, stride 112) -> Flatten (c*4 + q, as in NCHW) -> Linear(12, 1000) ----

    private Operand<TFloat32> probe(Operand<TFloat32> nhwc) {
        Operand<TFloat32> pooled = tf.nn.avgPool(nhwc, List.of(1L, 112L, 112L, 1L), List.of(1L, 112L, 112L, 1L), "VALID");
        Operand<TFloat32> nchw = tf.linalg.transpose(pooled, tf.constant(new int[] {0, 3, 1, 2})); // [N,3,2,2]
        Operand<TFloat32> flat = tf.reshape(nchw, tf.constant(new int[] {-1, 12}));
        return dense(flat, "2");
    }
}
