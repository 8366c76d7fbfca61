package dev.argus.imageio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.domain.PreprocessSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeBuffersTest {

    @Test
    void jpegsDecodedIntoReusedImagesGiveExactlyWhatFreshDecodesGive() {
        // large, small, odd, orientated, grey and progressive, in an order that leaves stale pixels in the buffer
        List<byte[]> files = new ArrayList<>();
        files.add(TestImages.encode(TestImages.noise(900, 700, 1), "jpg"));
        files.add(TestImages.encode(TestImages.noise(300, 260, 2), "jpg"));
        files.add(TestImages.withJpegOrientation(TestImages.encode(TestImages.noise(640, 480, 3), "jpg"), 6));
        files.add(TestImages.encode(TestImages.noise(1200, 301, 4), "jpg"));
        files.add(TestImages.progressiveJpeg(TestImages.noise(500, 500, 5)));
        files.add(TestImages.encode(TestImages.noise(257, 999, 6), "jpg"));
        files.add(TestImages.encode(TestImages.noise(300, 260, 2), "png"));
        DecodeBuffers buffers = new DecodeBuffers(1, 32L << 20);
        ImageIoImagePreprocessor reusing = new ImageIoImagePreprocessor(ImageIoConfig.defaults(), buffers);
        ImageIoImagePreprocessor fresh = new ImageIoImagePreprocessor(ImageIoConfig.defaults(), null);
        PreprocessSpec spec = PreprocessSpec.resnet50();
        for (int round = 0; round < 2; round++) {
            for (byte[] f : files) {
                assertThat(reusing.preprocess(f, spec)).isEqualTo(fresh.preprocess(f, spec));
            }
        }
        assertThat(buffers.kept()).as("the one buffer went back after every decode").isEqualTo(1);
    }

    @Test
    void aJpegOverTheKeptSizeIsDecodedIntoANewImageWithTheSamePixels() {
        byte[] jpeg = TestImages.encode(TestImages.noise(640, 480, 7), "jpg");
        DecodeBuffers small = new DecodeBuffers(1, 1000);
        PreprocessSpec spec = PreprocessSpec.resnet50();
        assertThat(new ImageIoImagePreprocessor(ImageIoConfig.defaults(), small).preprocess(jpeg, spec))
                .isEqualTo(new ImageIoImagePreprocessor(ImageIoConfig.defaults(), null).preprocess(jpeg, spec));
        assertThat(small.kept()).as("nothing over the size is kept").isZero();
    }

    @Test
    void aWarmDecodeOfALargeJpegAllocatesLittleBesidesItsOutput() {
        // 1352 x 900, as kite.jpg: a fresh destination (3.6 MB), the reader's per-row copies into a BGR image (3.6 MB),
        // a cached copy of the file and a new array for the resampler's rows (0.55 MB) would each exceed the bound
        byte[] jpeg = TestImages.encode(TestImages.noise(1352, 900, 8), "jpg");
        ImageIoImagePreprocessor p = new ImageIoImagePreprocessor(ImageIoConfig.defaults(), new DecodeBuffers(1, 32L << 20));
        PreprocessSpec spec = PreprocessSpec.resnet50();
        float[] dst = new float[spec.valuesPerImage()];
        for (int i = 0; i < 3; i++) {
            p.preprocess(jpeg, spec, dst, 0);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        p.preprocess(jpeg, spec, dst, 0);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by a warm decode of a %d-byte 1352 x 900 JPEG", jpeg.length)
                .isLessThan(512 * 1024);
    }

    @Test
    void imagesStoreRedGreenBlueInThatOrder() {
        var image = DecodeBuffers.rgb(2, 1);
        image.setRGB(0, 0, 0x102030);
        byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        assertThat(data).startsWith((byte) 0x10, (byte) 0x20, (byte) 0x30);
    }

    @Test
    void keepsAtMostItsCapacityAndNothingOverItsSize() {
        DecodeBuffers buffers = new DecodeBuffers(2, 3L * 100 * 100);
        assertThat(buffers.borrow(101, 100)).as("over the size: decoded into a new array as before").isNull();
        var a = buffers.borrow(100, 50);
        var b = buffers.borrow(50, 100);
        var c = buffers.borrow(10, 10);
        buffers.giveBack(a);
        buffers.giveBack(b);
        buffers.giveBack(c);
        assertThat(buffers.kept()).isEqualTo(2);
        var grown = buffers.borrow(60, 60); // the kept 100 x 50 is too small: one that holds both shapes replaces it
        assertThat(grown.getWidth()).isEqualTo(100);
        assertThat(grown.getHeight()).isEqualTo(60);
    }
}
