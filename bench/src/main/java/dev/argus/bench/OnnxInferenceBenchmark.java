package dev.argus.bench;

import dev.argus.onnx.OnnxConfig;
import dev.argus.onnx.OnnxInferenceEngine;
import dev.argus.ports.model.FloatTensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime on the generated ResNet-50 with pre-made tensors: the bare engine call, reported per IMAGE (the batch-8
 * benchmark divides by 8). Threads: {@code -Dargus.bench.threads} (default all cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class OnnxInferenceBenchmark {
    private OnnxInferenceEngine engine;
    private FloatTensor batch1;
    private FloatTensor batch8;

    @Setup
    public void open() {
        int threads = Integer.getInteger("argus.bench.threads", Runtime.getRuntime().availableProcessors());
        engine = OnnxInferenceEngine.open(BenchInputs.modelsDir().resolve("resnet50.onnx"), OnnxConfig.defaults().withThreads(threads));
        batch1 = random(1);
        batch8 = random(8);
    }

    private static FloatTensor random(int n) {
        Random r = new Random(n);
        float[] data = new float[n * 3 * 224 * 224];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return new FloatTensor(new long[] {n, 3, 224, 224}, data);
    }

    @TearDown
    public void close() {
        engine.close();
    }

    @Benchmark
    public FloatTensor batch1() {
        return engine.infer(batch1);
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public FloatTensor batch8() {
        return engine.infer(batch8);
    }
}
