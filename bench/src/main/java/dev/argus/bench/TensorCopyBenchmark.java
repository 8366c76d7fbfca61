package dev.argus.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory traffic around an engine call, per call (not per image), on ResNet-50-sized tensors (150,528 floats an
 * image, 1000 logits):
 * <ul>
 *   <li>{@code newBatchArray}: the zeroed {@code float[8 x 150528]} the pipeline allocates per batch;</li>
 *   <li>{@code batchAssembly}: copying 8 preprocessed images into one batch array;</li>
 *   <li>{@code wrapHeap}: {@code FloatBuffer.wrap}, which is all the ONNX adapter does to its input itself;</li>
 *   <li>{@code copyToNewDirect}: what ONNX Runtime then does with a heap buffer (allocate a direct buffer, copy),
 *       here freeing the buffer at once;</li>
 *   <li>{@code copyToReusedDirect}: the copy alone, into a direct buffer kept between calls;</li>
 *   <li>{@code ortInputTensor}: the adapter's input step for real ({@code OnnxTensor.createTensor} on the wrapped
 *       array, then close);</li>
 *   <li>{@code ortInputTensorDirect}: the same from a filled direct buffer, which ONNX Runtime uses without copying:
 *       the native tensor's own cost;</li>
 *   <li>{@code ortOutputCopy}: the adapter's output step ({@code getFloatBuffer()}, itself a copy, then
 *       {@code get(float[])}).</li>
 * </ul>
 * {@code ortInputTensor} leaves its direct buffers to the GC, and back to back nothing else makes garbage: the direct
 * memory cap (= the 2 GiB heap here) fills and {@code ByteBuffer.allocateDirect} forces a GC and sleeps until old
 * buffers are freed, stalls of milliseconds that a server (whose engine calls are 45+ ms apart and whose decoding
 * keeps the young GC busy) does not see. Its score is that worst case and varies widely; the cost of one call is
 * closer to {@code copyToNewDirect + ortInputTensorDirect}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class TensorCopyBenchmark {
    static final int PER_IMAGE = 3 * 224 * 224;
    static final int CLASSES = 1000;

    /** {@code Unsafe.invokeCleaner}: frees a direct buffer now (looked up reflectively: it is a JDK-internal API). */
    private static final MethodHandle FREE = unsafeInvokeCleaner();

    private static MethodHandle unsafeInvokeCleaner() {
        try {
            Class<?> unsafe = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafe.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodType type = MethodType.methodType(void.class, ByteBuffer.class);
            return MethodHandles.lookup().findVirtual(unsafe, "invokeCleaner", type).bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JDK has no sun.misc.Unsafe.invokeCleaner", e);
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Eight separate preprocessed images and a batch array to put them in. */
    @State(Scope.Benchmark)
    public static class Images {
        final float[][] images = new float[8][];
        final float[] batch = new float[8 * PER_IMAGE];

        @Setup
        public void fill() {
            for (int i = 0; i < images.length; i++) {
                images[i] = random(PER_IMAGE, i);
            }
        }
    }

    /** A batch of 1 or 8 images as the engine receives it, and an output tensor of as many logit rows. */
    @State(Scope.Benchmark)
    public static class Batch {
        @Param({"1", "8"})
        public int size;

        OrtEnvironment env;
        float[] input;
        long[] shape;
        FloatBuffer reusedDirect;
        OnnxTensor output;

        @Setup
        public void create() throws OrtException {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "argus-bench");
            input = random(size * PER_IMAGE, size);
            shape = new long[] {size, 3, 224, 224};
            reusedDirect = directFloats(input.length);
            reusedDirect.put(input).rewind();
            FloatBuffer logits = directFloats(size * CLASSES);
            logits.put(random(size * CLASSES, -size)).rewind();
            output = OnnxTensor.createTensor(env, logits, new long[] {size, CLASSES});
        }

        @TearDown
        public void close() {
            output.close();
        }
    }

    static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Benchmark
    public float[] newBatchArray() {
        return new float[8 * PER_IMAGE];
    }

    @Benchmark
    public float[] batchAssembly(Images s) {
        for (int i = 0; i < s.images.length; i++) {
            System.arraycopy(s.images[i], 0, s.batch, i * PER_IMAGE, PER_IMAGE);
        }
        return s.batch;
    }

    @Benchmark
    public FloatBuffer wrapHeap(Batch b) {
        return FloatBuffer.wrap(b.input);
    }

    /** As ONNX Runtime's {@code OrtUtil.prepareBuffer} does for a non-direct buffer, then freed without a GC. */
    @Benchmark
    public ByteBuffer copyToNewDirect(Batch b) throws Throwable {
        ByteBuffer direct = ByteBuffer.allocateDirect(b.input.length * Float.BYTES).order(ByteOrder.nativeOrder());
        direct.asFloatBuffer().put(FloatBuffer.wrap(b.input));
        FREE.invokeExact(direct);
        return direct;
    }

    @Benchmark
    public FloatBuffer copyToReusedDirect(Batch b) {
        b.reusedDirect.clear();
        b.reusedDirect.put(b.input);
        return b.reusedDirect;
    }

    @Benchmark
    public OnnxTensor ortInputTensor(Batch b) throws OrtException {
        OnnxTensor tensor = OnnxTensor.createTensor(b.env, FloatBuffer.wrap(b.input), b.shape);
        tensor.close();
        return tensor;
    }

    @Benchmark
    public OnnxTensor ortInputTensorDirect(Batch b) throws OrtException {
        OnnxTensor tensor = OnnxTensor.createTensor(b.env, b.reusedDirect.rewind(), b.shape);
        tensor.close();
        return tensor;
    }

    /** As {@code OnnxInferenceEngine.infer} reads its result. */
    @Benchmark
    public float[] ortOutputCopy(Batch b) {
        FloatBuffer buf = b.output.getFloatBuffer();
        float[] data = new float[buf.remaining()];
        buf.get(data);
        return data;
    }
}
