package dev.argus.bench;

import static dev.argus.bench.BenchInputs.internal;

import dev.argus.domain.PreprocessSpec;
import java.lang.invoke.MethodHandle;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The last preprocessing stage: 224x224 packed RGB bytes (random, fixed seed: the work does not depend on the values)
 * to ResNet-50's NCHW floats, {@code (v / 255 - mean[c]) / std[c]}, by Argus's {@code TensorWriter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class NormaliseBenchmark {
    private static final MethodHandle WRITE = internal("dev.argus.imageio.TensorWriter", "write");

    private final PreprocessSpec spec = PreprocessSpec.resnet50();
    private final byte[] rgb = new byte[spec.inputWidth() * spec.inputHeight() * 3];
    private final float[] out = new float[spec.valuesPerImage()];

    @Setup
    public void fill() {
        new Random(224).nextBytes(rgb);
    }

    @Benchmark
    public float[] normaliseNchw() throws Throwable {
        WRITE.invokeExact((Object) rgb, (Object) spec, (Object) out, 0);
        return out;
    }
}
