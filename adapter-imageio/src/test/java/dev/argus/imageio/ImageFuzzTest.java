package dev.argus.imageio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import java.time.Duration;

/**
 * Every image path, from encoded bytes to the tensor: format detection, JPEG segments and scans, PNG chunks, GIF LZW,
 * BMP headers, WebP chunks, EXIF orientation, CMYK, the resampler. A finding is any exception other than Argus's own,
 * a decode that runs past its deadline (a hang), memory beyond the limits (an OutOfMemoryError the pricing should have
 * prevented), or a tensor with a value that is not a finite number. Regression mode runs the committed inputs
 * ({@code src/test/resources/.../ImageFuzzTestInputs}) in every build; {@code tools/fuzz/run} fuzzes.
 */
class ImageFuzzTest {
    /** A small pixel limit keeps each input cheap; what is priced is refused before it is allocated. */
    private static final ImageIoImagePreprocessor PREPROCESSOR = new ImageIoImagePreprocessor(
            new ImageIoConfig(4_000_000, true, true, 128L << 20, 1_000), null);
    private static final PreprocessSpec SPEC = PreprocessSpec.resnet50();

    /**
     * The boundary turns whatever a decoder throws into INVALID_INPUT, which is right for the JDK's and TwelveMonkeys'
     * failures on a corrupt file; an unchecked exception thrown by Argus's own code (an index out of bounds in a
     * header parser) is a bug all the same.
     */
    private static boolean ourBug(Throwable cause) {
        if (!(cause instanceof RuntimeException) || cause instanceof ArgusException || cause instanceof UnsupportedImageException) {
            return false;
        }
        StackTraceElement[] frames = cause.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("dev.argus.");
    }

    @FuzzTest(maxDuration = "10m")
    void decodesOrRefusesEveryFile(byte[] file) {
        float[] tensor;
        try {
            tensor = new float[SPEC.valuesPerImage()];
            PREPROCESSOR.preprocess(file, SPEC, tensor, 0, Deadline.after(Duration.ofSeconds(10)));
        } catch (ArgusException e) {
            if (e.code() == ErrorCode.TIMEOUT) {
                throw new AssertionError("a decode ran past its 10 s deadline", e);
            }
            if (e.getCause() instanceof OutOfMemoryError) {
                throw new AssertionError("a decode ran out of memory instead of being refused by its price", e);
            }
            if (e.code() != ErrorCode.INVALID_INPUT && e.code() != ErrorCode.INPUT_TOO_LARGE) {
                throw new AssertionError("a bad image is the caller's fault, not " + e.code(), e);
            }
            if (ourBug(e.getCause())) {
                throw new AssertionError("Argus's own code failed on the input (the boundary only translated it)", e);
            }
            return;
        }
        for (float v : tensor) {
            if (!Float.isFinite(v)) {
                throw new AssertionError("the tensor holds " + v);
            }
        }
    }
}
