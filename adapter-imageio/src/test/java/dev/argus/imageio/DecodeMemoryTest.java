package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import dev.argus.testkit.HostileImages;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Finding 4 of the review: decode memory is priced in bytes and bounded across concurrent requests. */
class DecodeMemoryTest {
    private static final long MIB = 1L << 20;
    private final PreprocessSpec spec = PreprocessSpec.resnet50();

    private static long priced(byte[] image) throws IOException {
        try (OpenedImage opened = new ImageDecoder(ImageIoConfig.defaults()).open(image)) {
            return opened.decodeBytes(new java.awt.Rectangle(0, 0, opened.width(), opened.height()));
        }
    }

    @Test
    void pricesADecodeByItsBitDepthNotItsPixelCount() throws IOException {
        int w = 1000;
        int h = 1000;
        long rgba16 = priced(HostileImages.flatPng16Rgba(w, h));
        long grey8 = priced(TestImages.encode(new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png"));
        // 16-bit RGBA: 8 bytes decoded + 3 for the RGB copy; 8-bit grey: 1 + 3
        assertThat(rgba16).isGreaterThanOrEqualTo(11L * w * h).isLessThan(11L * w * h + 2 * MIB);
        assertThat(grey8).isGreaterThanOrEqualTo(4L * w * h).isLessThan(4L * w * h + 2 * MIB);
    }

    @Test
    void refusesAtOnceADecodeThatCouldNeverFitTheBudget() {
        // 7071x7071 16-bit RGBA: 50 megapixels, ~580 KB of file, ~550 MB to decode
        byte[] png = HostileImages.flatPng16Rgba(7071, 7071);
        assertThat(png.length).isLessThan(1_000_000);
        ImageIoImagePreprocessor small = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withDecodeMemory(256 * MIB, 10_000));
        long start = System.nanoTime();
        assertThatThrownBy(() -> small.preprocess(png, spec))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("argus.limits.decode-memory-bytes")
                .hasMessageContaining("256.0 MiB");
        assertThat((System.nanoTime() - start) / 1_000_000).as("refused without waiting for the 10 s").isLessThan(5_000);
        assertThat(small.decodeMemory().availableBytes()).isEqualTo(256 * MIB);
    }

    @Test
    void aDecodeWaitsForMemoryOthersHoldAndFailsAsOverloadedWhenItNeverComes() throws Exception {
        byte[] png = HostileImages.flatPng16Rgba(2000, 2000); // ~44 MB to decode
        ImageIoImagePreprocessor p = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withDecodeMemory(64 * MIB, 300));
        DecodeMemory memory = memoryOf(p);
        try (DecodeMemory.Lease others = memory.reserve(40 * MIB, 100, 100)) {
            Throwable t = catchThrowable(() -> p.preprocess(png, spec));
            assertThat(t).isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED))
                    .hasMessageContaining("waited 300 ms");
        }
        ImageIoImagePreprocessor patient = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withDecodeMemory(64 * MIB, 60_000));
        DecodeMemory.Lease others = memoryOf(patient).reserve(40 * MIB, 100, 100);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<float[]> waiting = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            return patient.preprocess(png, spec);
        });
        started.await();
        Thread.sleep(200);
        assertThat(waiting).as("waits while the others hold the memory").isNotDone();
        others.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).hasSize(spec.valuesPerImage());
        assertThat(patient.decodeMemory().availableBytes()).isEqualTo(64 * MIB);
    }

    @Test
    void fourLargeFlatPngsAtOnceNeverHoldMoreThanTheBudget() throws Exception {
        byte[] png = HostileImages.flatPng16Rgba(3000, 3000); // ~100 MB each to decode
        ImageIoImagePreprocessor p = new ImageIoImagePreprocessor(ImageIoConfig.defaults().withDecodeMemory(128 * MIB, 60_000));
        DecodeMemory memory = memoryOf(p);
        long[] lowest = {Long.MAX_VALUE};
        CompletableFuture<?>[] decodes = new CompletableFuture<?>[4];
        for (int i = 0; i < decodes.length; i++) {
            decodes[i] = CompletableFuture.runAsync(() -> p.preprocess(png, spec), java.util.concurrent.Executors.newSingleThreadExecutor());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(decodes);
        while (!all.isDone()) {
            lowest[0] = Math.min(lowest[0], memory.availableBytes());
            Thread.sleep(2);
        }
        all.get();
        assertThat(lowest[0]).as("one ~100 MB decode at a time in 128 MiB").isGreaterThanOrEqualTo(0).isLessThan(128 * MIB);
        assertThat(memory.availableBytes()).isEqualTo(128 * MIB);
    }

    @Test
    void theDefaultBudgetIsAShareOfTheHeap() {
        long max = Runtime.getRuntime().maxMemory();
        assertThat(ImageIoConfig.defaults().decodeMemoryBytes()).isEqualTo(Math.max(16 * MIB, (long) (max * 0.35)));
        assertThatThrownBy(() -> ImageIoConfig.defaults().withDecodeMemory(MIB, 0)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("16 MiB");
    }

    private static DecodeMemory memoryOf(ImageIoImagePreprocessor p) {
        return p.decodeMemory();
    }
}
