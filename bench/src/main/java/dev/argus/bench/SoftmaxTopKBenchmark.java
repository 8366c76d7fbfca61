package dev.argus.bench;

import dev.argus.domain.Classification;
import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.service.TopK;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Post-processing of one image's 1000 logits (random, fixed seed, spread like a ResNet's): {@link TopK}'s softmax,
 * its top-k selection on ready probabilities, and {@code classify} = softmax + top-k + Cloudflare-style labels, which
 * is what the pipeline runs per image.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class SoftmaxTopKBenchmark {
    private static final int CLASSES = 1000;

    @State(Scope.Benchmark)
    public static class Logits {
        final float[] logits = new float[CLASSES];
        final LabelSet labels = LabelSet.imagenet1k();
        double[] probabilities;

        @Setup
        public void fill() {
            Random r = new Random(1000);
            for (int i = 0; i < CLASSES; i++) {
                logits[i] = (float) (r.nextGaussian() * 3);
            }
            probabilities = TopK.softmax(logits, 0, CLASSES);
        }
    }

    /** Only the benchmarks that take this state run once per k. */
    @State(Scope.Benchmark)
    public static class Top {
        @Param({"1", "5", "1000"})
        public int k;
    }

    @Benchmark
    public double[] softmax(Logits s) {
        return TopK.softmax(s.logits, 0, CLASSES);
    }

    @Benchmark
    public int[] topIndices(Logits s, Top t) {
        return TopK.topIndices(s.probabilities, t.k);
    }

    @Benchmark
    public List<Classification> classify(Logits s, Top t) {
        return TopK.classify(s.logits, 0, CLASSES, t.k, s.labels, LabelStyle.CLOUDFLARE);
    }
}
