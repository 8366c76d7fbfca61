package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Deadline;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.PreprocessSpec;
import dev.argus.ports.out.ImagePreprocessor;
import java.awt.Rectangle;
import java.io.IOException;
import java.util.Objects;

/**
 * Decodes with ImageIO and preprocesses exactly as Hugging Face's {@code microsoft/resnet-50} pipeline does with PIL
 * (and as the spec says for other models): EXIF transpose, {@code convert('RGB')}, bicubic or bilinear resize of the
 * short side or to a size (Pillow's resampler, ported bit-exactly), centre crop, scale, normalise, channel order,
 * layout. Only the cropped part of the resized image is computed.
 *
 * <p>Thread-safe: every call creates (and disposes) its own ImageIO reader. JPEGs are decoded into reused images (one
 * per CPU kept, of up to 32 MiB each), not into a new array each time. Decodes share one memory budget
 * ({@link ImageIoConfig#decodeMemoryBytes()}): each reserves what it will allocate, priced from the header, before it
 * decodes, and waits when the others hold too much.
 */
public final class ImageIoImagePreprocessor implements ImagePreprocessor {
    private final ImageDecoder decoder;
    private final DecodeMemory memory;

    public ImageIoImagePreprocessor(ImageIoConfig config) {
        this(config, new DecodeBuffers(Runtime.getRuntime().availableProcessors(), 32L << 20));
    }

    /** @param buffers reused JPEG destinations, or null to decode each into a new array (tests) */
    ImageIoImagePreprocessor(ImageIoConfig config, DecodeBuffers buffers) {
        this.decoder = new ImageDecoder(Objects.requireNonNull(config, "config"), buffers);
        this.memory = new DecodeMemory(config.decodeMemoryBytes(), config.decodeWaitMillis());
    }

    /** With {@link ImageIoConfig#defaults()}. */
    public ImageIoImagePreprocessor() {
        this(ImageIoConfig.defaults());
    }

    @Override
    public void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset) {
        preprocess(encoded, spec, dst, offset, Deadline.none());
    }

    /**
     * Stops a decode in progress once {@code deadline} passes (ImageIO's readers are asked to abort between rows) and
     * checks it again before the resize, so a request that timed out or was cancelled frees its decoder within a few
     * rows instead of decoding a large image to the end.
     */
    @Override
    public void preprocess(byte[] encoded, PreprocessSpec spec, float[] dst, int offset, Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dst, "dst");
        if (offset < 0 || (long) offset + spec.valuesPerImage() > dst.length) {
            throw new IllegalArgumentException("dst has " + dst.length + " floats; " + spec.valuesPerImage()
                    + " are needed from offset " + offset);
        }
        if (encoded.length == 0) {
            throw ArgusException.invalidInput("The image is empty: send the bytes of a " + ImageFormat.SUPPORTED + " file.");
        }
        try (OpenedImage image = open(encoded)) {
            ResizePlan plan = ResizePlan.of(spec, image.width(), image.height());
            PillowResampler resampler = PillowResampler.plan(image.width(), image.height(), plan, spec.resample());
            long bytes = image.decodeBytes(resampler.sourceRegion()) + resampler.workingBytes();
            try (DecodeMemory.Lease lease = memory.reserve(bytes, image.width(), image.height())) {
                deadline.check();
                RgbImage pixels = read(image, resampler.sourceRegion(), deadline);
                deadline.check();
                TensorWriter.write(resampler.resize(pixels), spec, dst, offset);
            }
        }
    }

    DecodeMemory decodeMemory() {
        return memory;
    }

    private OpenedImage open(byte[] encoded) {
        try {
            return decoder.open(encoded);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw translate(e);
        }
    }

    private static RgbImage read(OpenedImage image, Rectangle region, Deadline deadline) {
        try {
            return image.readWithin(region, deadline);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            throw translate(e);
        }
    }

    /** The adapter boundary: whatever ImageIO or a crafted file throws leaves as an {@link ArgusException}. */
    private static ArgusException translate(Throwable e) {
        if (e instanceof ArgusException argus) {
            return argus;
        }
        if (e instanceof UnsupportedImageException) {
            return ArgusException.invalidInput("The image is of a kind that is not supported: " + e.getMessage() + ".", e);
        }
        if (e instanceof OutOfMemoryError) {
            return new ArgusException(ErrorCode.INPUT_TOO_LARGE, "Not enough memory to decode the image. Send a smaller image.", e);
        }
        return ArgusException.invalidInput("The image data is truncated or corrupt: " + describe(e)
                + ". Send a complete, valid " + ImageFormat.SUPPORTED + " file.", e);
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null && s.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            s.append(s.length() == 0 ? "" : " (").append(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
            if (t != e) {
                s.append(')');
            }
        }
        return s.toString();
    }
}
