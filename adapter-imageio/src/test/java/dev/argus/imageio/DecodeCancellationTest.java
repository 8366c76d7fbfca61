package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import java.awt.Rectangle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A decode whose request gives up part-way stops within a few rows, with the request's TIMEOUT, instead of decoding a
 * large image to its end for a caller that has gone.
 */
class DecodeCancellationTest {
    private static final int SIDE = 2400;

    /** Counts the reader's progress callbacks, and whether it reported an abort. */
    private static final class Progress extends ReadProgress {
        final AtomicInteger updates = new AtomicInteger();
        final AtomicBoolean aborted = new AtomicBoolean();
        volatile boolean cancelled;

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            updates.incrementAndGet();
        }

        @Override
        public void readAborted(ImageReader source) {
            aborted.set(true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void aDecodeStopsWithinAFewRowsOnceItsDeadlinePasses(String format) throws Exception {
        byte[] file = TestImages.encode(TestImages.noise(SIDE, SIDE, 5), format);
        ImageDecoder decoder = new ImageDecoder(ImageIoConfig.defaults());
        Rectangle all = new Rectangle(0, 0, SIDE, SIDE);

        int whole;
        try (OpenedImage image = decoder.open(file)) {
            Progress progress = new Progress();
            image.reader().addIIOReadProgressListener(progress);
            image.readWithin(all, Deadline.none().orWhen(() -> false));
            whole = progress.updates.get();
            assertThat(progress.aborted).isFalse();
        }
        assertThat(whole).as("the reader reports progress as it goes (the JPEG reader every 5%% of rows)").isGreaterThanOrEqualTo(10);

        try (OpenedImage image = decoder.open(file)) {
            Progress progress = new Progress();
            image.reader().addIIOReadProgressListener(progress);
            // the caller goes away once a tenth of the image has been decoded
            Deadline deadline = Deadline.none().orWhen(() -> {
                if (progress.updates.get() >= whole / 10) {
                    progress.cancelled = true;
                }
                return progress.cancelled;
            });
            assertThatThrownBy(() -> image.readWithin(all, deadline)).isInstanceOf(ArgusException.class)
                    .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.TIMEOUT))
                    .hasMessageContaining("cancelled");
            assertThat(progress.aborted).as("the reader was asked to stop").isTrue();
            assertThat(progress.updates.get()).as("stopped long before the end (%d updates in a whole decode)", whole)
                    .isLessThan(whole / 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void theClassifiersEntryPointGivesUpTooAndAnUnhurriedDecodeIsUnchanged(String format) {
        byte[] file = TestImages.encode(TestImages.noise(640, 480, 9), format);
        ImageIoImagePreprocessor preprocessor = new ImageIoImagePreprocessor();
        PreprocessSpec spec = PreprocessSpec.resnet50();
        float[] plain = preprocessor.preprocess(file, spec);
        float[] watched = new float[spec.valuesPerImage()];
        preprocessor.preprocess(file, spec, watched, 0, Deadline.after(java.time.Duration.ofMinutes(1)));
        assertThat(watched).isEqualTo(plain);
        assertThatThrownBy(() -> preprocessor.preprocess(file, spec, new float[spec.valuesPerImage()], 0,
                Deadline.none().orWhen(() -> true))).isInstanceOf(ArgusException.class)
                .satisfies(e -> assertThat(((ArgusException) e).code()).isEqualTo(ErrorCode.TIMEOUT));
    }
}
