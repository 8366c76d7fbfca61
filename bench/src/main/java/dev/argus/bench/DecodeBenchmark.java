package dev.argus.bench;

import static dev.argus.bench.BenchInputs.internal;
import static dev.argus.bench.ImageIoInternals.CLOSE;
import static dev.argus.bench.ImageIoInternals.HEIGHT;
import static dev.argus.bench.ImageIoInternals.OPEN;
import static dev.argus.bench.ImageIoInternals.PKG;
import static dev.argus.bench.ImageIoInternals.PLAN;
import static dev.argus.bench.ImageIoInternals.READ;
import static dev.argus.bench.ImageIoInternals.RESAMPLER;
import static dev.argus.bench.ImageIoInternals.WIDTH;

import dev.argus.domain.PreprocessSpec;
import dev.argus.domain.Resample;
import dev.argus.imageio.ImageIoConfig;
import java.awt.Rectangle;
import java.lang.invoke.MethodHandle;
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
 * Decoding alone, per photo, exactly as {@link PreprocessBenchmark}'s pipeline does it and nothing more: format check,
 * JPEG segment scan, ICC profile stripped, header and limit checks, then ImageIO decoding the source region the
 * resize will read into an 8-bit RGB view. The region is worked out once in set-up (the resize plan is
 * {@link ResizeBenchmark}'s cost).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class DecodeBenchmark {
    private static final MethodHandle SOURCE_REGION = internal(PKG + "PillowResampler", "sourceRegion");

    @Param({"dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "kite.jpg", "person.jpg", "scream.jpg"})
    public String photo;

    private byte[] bytes;
    Object decoder; // package-private: MicrobenchmarkSetupTest checks that it reuses its destination
    private Rectangle region;

    @Setup
    public void load() throws Throwable {
        bytes = BenchInputs.photo(photo);
        decoder = ImageIoInternals.newDecoder(ImageIoConfig.defaults());
        Object image = OPEN.invokeExact(decoder, (Object) bytes);
        try {
            int w = (int) WIDTH.invokeExact(image);
            int h = (int) HEIGHT.invokeExact(image);
            Object plan = PLAN.invokeExact((Object) PreprocessSpec.resnet50(), w, h);
            region = (Rectangle) (Object) SOURCE_REGION.invokeExact(RESAMPLER.invokeExact(w, h, plan, (Object) Resample.BICUBIC));
        } finally {
            CLOSE.invokeExact(image);
        }
    }

    /** The decoded pixels (an {@code RgbImage} over the raster's array). */
    @Benchmark
    public Object decode() throws Throwable {
        Object image = OPEN.invokeExact(decoder, (Object) bytes);
        try {
            return READ.invokeExact(image, (Object) region);
        } finally {
            CLOSE.invokeExact(image);
        }
    }
}
