package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Opens encoded bytes: recognises the format, reads the metadata that matters (EXIF orientation, JPEG colour
 * components, ICC profile) and the header, and refuses images over the pixel limit before any pixel is allocated.
 * Library failures propagate as they are; {@link ImageIoImagePreprocessor} translates them at the boundary.
 */
final class ImageDecoder {
    private final ImageIoConfig config;
    private final DecodeBuffers buffers;

    ImageDecoder(ImageIoConfig config) {
        this(config, null);
    }

    /** @param buffers reused destinations for JPEG decodes, or null to allocate each */
    ImageDecoder(ImageIoConfig config, DecodeBuffers buffers) {
        this.config = config;
        this.buffers = buffers;
    }

    OpenedImage open(byte[] encoded) throws IOException {
        ImageFormat format = ImageFormat.detect(encoded).orElseThrow(() -> ArgusException.invalidInput(
                "The input is not a supported image (" + ImageFormat.SUPPORTED + "); the first bytes look like "
                        + ImageFormat.describeStart(encoded) + "."));
        ImageInputStream stream = null;
        int orientation = ExifOrientation.UPRIGHT;
        JpegSegments jpeg = null;
        switch (format) {
            case JPEG -> {
                int scans = JpegSegments.countScans(encoded, MAX_JPEG_SCANS);
                if (scans > MAX_JPEG_SCANS) {
                    throw ArgusException.invalidInput("The JPEG has more than " + MAX_JPEG_SCANS + " scans; encoders write"
                            + " at most a few dozen, and each one costs a pass over the whole image. Re-encode it.");
                }
                jpeg = JpegSegments.scan(encoded);
                orientation = jpeg.orientation();
                if (config.ignoreIccProfile()) { // PIL never applies it; the JDK would (and spend ~8 ms)
                    stream = ByteArrayImageStream.without(encoded, jpeg.iccSegments());
                }
            }
            case PNG -> {
                stream = ByteArrayImageStream.of(PngChunks.checked(encoded)); // PIL's CRC rules; a damaged tail is cut
                orientation = ExifOrientation.inPng(encoded);
            }
            case WEBP -> {
                WebpChunks.check(encoded, config.maxPixels());
                orientation = ExifOrientation.inWebp(encoded);
            }
            case BMP -> {
                BmpHeader bmp = BmpHeader.parse(encoded); // the JDK refuses huge ones itself, but as "corrupt"
                if (bmp != null && bmp.width() <= Integer.MAX_VALUE && bmp.height() <= Integer.MAX_VALUE) {
                    checkPixelLimit(format, (int) bmp.width(), (int) bmp.height());
                }
            }
            default -> { }
        }
        ImageReader reader = ImageReaders.create(format);
        if (stream == null) {
            stream = ByteArrayImageStream.of(encoded);
        }
        OpenedImage image = new OpenedImage(format, reader, stream, jpeg, config.applyExifOrientation() ? orientation : 1,
                buffers);
        try {
            reader.setInput(stream, true, true);
            image.readHeader(format == ImageFormat.GIF);
            checkPixelLimit(format, image.storedWidth(), image.storedHeight());
            if (image.frameWidth() != image.storedWidth() || image.frameHeight() != image.storedHeight()) {
                checkFrameLimit(image.frameWidth(), image.frameHeight());
            }
            TruncationCheck.check(format, encoded);
            if (format == ImageFormat.GIF) {
                GifLzw.check(encoded); // PIL refuses broken or missing LZW data; the JDK fills it in
            }
            return image;
        } catch (IOException | RuntimeException | Error e) {
            image.close();
            throw e;
        }
    }

    /** Longest side over shortest side that is accepted; beyond it the resize to 256 on the short side explodes. */
    static final int MAX_ASPECT_RATIO = 1000;

    /** More scans than any encoder writes; each costs a pass over the whole image (a "scan bomb" repeats them). */
    static final int MAX_JPEG_SCANS = 100;

    /** A GIF frame is decoded only where it is on screen, but the decoder still walks all of it: bound that too. */
    private void checkFrameLimit(int width, int height) {
        long pixels = (long) width * height;
        if (width < 1 || height < 1) {
            throw ArgusException.invalidInput("The GIF's first frame has an empty size, " + width + "x" + height + ".");
        }
        if (pixels > config.maxPixels()) {
            throw ArgusException.tooLarge("The GIF's first frame is " + width + "x" + height + " = " + pixels
                    + " pixels (its screen is smaller), which exceeds the limit of " + config.maxPixels()
                    + " pixels. Send a smaller image (or raise the pixel limit).");
        }
    }

    private void checkPixelLimit(ImageFormat format, int width, int height) {
        if (width < 1 || height < 1) {
            throw ArgusException.invalidInput("The " + format + " header gives an empty size, " + width + "x" + height + ".");
        }
        if (Math.max(width, height) / Math.min(width, height) >= MAX_ASPECT_RATIO) {
            throw ArgusException.invalidInput("The " + format + " image is " + width + "x" + height + ": its sides differ by "
                    + MAX_ASPECT_RATIO + ":1 or more, which cannot be resized to a 224x224 input. Send an ordinary photo.");
        }
        long pixels = (long) width * height;
        if (pixels > config.maxPixels()) {
            throw ArgusException.tooLarge("The " + format + " image is " + width + "x" + height + " = " + pixels
                    + " pixels, which exceeds the limit of " + config.maxPixels()
                    + " pixels. Send a smaller image (or raise the pixel limit).");
        }
    }
}
