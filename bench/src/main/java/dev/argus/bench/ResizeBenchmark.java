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
import java.util.Arrays;
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
 * Argus's Pillow-exact bicubic resampler on a photo decoded once in set-up: short side to 256, centre crop 224.
 * {@link #resizeToCrop()} is what the pipeline does (plan the weights, compute only the crop's pixels);
 * {@link #resizeWholeThenCrop()} computes the whole 256-short-side image and copies the crop out, for comparison
 * (set-up checks that both give the same bytes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class ResizeBenchmark {
    private static final MethodHandle NEW_PLAN = internal(PKG + "ResizePlan", "<init>");
    private static final MethodHandle RESIZED_WIDTH = internal(PKG + "ResizePlan", "resizedWidth");
    private static final MethodHandle RESIZED_HEIGHT = internal(PKG + "ResizePlan", "resizedHeight");
    private static final MethodHandle CROP_X = internal(PKG + "ResizePlan", "cropX");
    private static final MethodHandle CROP_Y = internal(PKG + "ResizePlan", "cropY");
    private static final MethodHandle RESIZE = internal(PKG + "PillowResampler", "resize");

    @Param({"dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "kite.jpg", "person.jpg", "scream.jpg"})
    public String photo;

    private final PreprocessSpec spec = PreprocessSpec.resnet50();
    private Object source;
    private int width;
    private int height;
    private Object wholePlan;
    private int resizedWidth;
    private int cropX;
    private int cropY;

    @Setup
    public void decode() throws Throwable {
        // pixels kept after the image is closed: not in a reused destination, which closing gives back
        Object decoder = ImageIoInternals.newDecoderWithoutReuse(ImageIoConfig.defaults());
        Object image = OPEN.invokeExact(decoder, (Object) BenchInputs.photo(photo));
        try {
            width = (int) WIDTH.invokeExact(image);
            height = (int) HEIGHT.invokeExact(image);
            source = READ.invokeExact(image, (Object) new Rectangle(0, 0, width, height));
        } finally {
            CLOSE.invokeExact(image);
        }
        Object plan = PLAN.invokeExact((Object) spec, width, height);
        resizedWidth = (int) RESIZED_WIDTH.invokeExact(plan);
        int resizedHeight = (int) RESIZED_HEIGHT.invokeExact(plan);
        cropX = (int) CROP_X.invokeExact(plan);
        cropY = (int) CROP_Y.invokeExact(plan);
        wholePlan = NEW_PLAN.invokeExact(resizedWidth, resizedHeight, 0, 0, resizedWidth, resizedHeight);
        if (!Arrays.equals(resizeToCrop(), resizeWholeThenCrop())) {
            throw new IllegalStateException(photo + ": the crop of the whole resize differs from the direct crop");
        }
    }

    /** 224x224 packed RGB: the crop of the 256-short-side resize, computed directly. */
    @Benchmark
    public byte[] resizeToCrop() throws Throwable {
        Object plan = PLAN.invokeExact((Object) spec, width, height);
        return (byte[]) (Object) RESIZE.invokeExact(RESAMPLER.invokeExact(width, height, plan, (Object) Resample.BICUBIC), source);
    }

    /** The same bytes via the whole 256-short-side image. */
    @Benchmark
    public byte[] resizeWholeThenCrop() throws Throwable {
        byte[] whole = (byte[]) (Object) RESIZE.invokeExact(RESAMPLER.invokeExact(width, height, wholePlan, (Object) Resample.BICUBIC), source);
        int w = spec.inputWidth(), h = spec.inputHeight();
        byte[] crop = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(whole, ((cropY + y) * resizedWidth + cropX) * 3, crop, y * w * 3, w * 3);
        }
        return crop;
    }
}
