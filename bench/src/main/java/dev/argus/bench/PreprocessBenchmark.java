package dev.argus.bench;

import dev.argus.domain.PreprocessSpec;
import dev.argus.imageio.ImageIoConfig;
import dev.argus.imageio.ImageIoImagePreprocessor;
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

/** Decode + EXIF + PIL-exact bicubic resize + crop + normalise, per photo (PIL does this in ~8 ms here). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreprocessBenchmark {
    @Param({"dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "kite.jpg", "person.jpg", "scream.jpg"})
    public String photo;

    private byte[] bytes;
    private final PreprocessSpec spec = PreprocessSpec.resnet50();
    private final float[] out = new float[spec.valuesPerImage()];
    private final ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor(ImageIoConfig.defaults());

    @Setup
    public void load() {
        bytes = BenchInputs.photo(photo);
    }

    @Benchmark
    public float[] decodeAndPreprocess() {
        preprocessor.preprocess(bytes, spec, out, 0);
        return out;
    }
}
