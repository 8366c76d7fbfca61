package dev.argus.imageio;

import java.awt.Rectangle;
import java.awt.image.SampleModel;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * An image whose header has been read but whose pixels have not. {@link #read(Rectangle)} decodes only the part the
 * preprocessing needs (decoders still parse everything before it, but skip converting and copying the rest).
 * Holds an ImageIO reader: close it.
 */
final class OpenedImage implements AutoCloseable {
    /**
     * What a decode allocates besides its pixels and the resampler's passes (which the resampler prices): reader
     * state, row buffers.
     */
    static final long FIXED_DECODE_BYTES = 1L << 20;
    private final ImageFormat format;
    private final ImageReader reader;
    private final ImageInputStream stream;
    private final JpegSegments jpeg;
    private final int orientation;
    private final TruncationWatch watch = new TruncationWatch();
    private int storedWidth;
    private int storedHeight;
    private int frameWidth;
    private int frameHeight;
    private GifCanvas gifCanvas;
    private final DecodeBuffers buffers;
    private java.awt.image.BufferedImage borrowed;

    OpenedImage(ImageFormat format, ImageReader reader, ImageInputStream stream, JpegSegments jpeg, int orientation,
                DecodeBuffers buffers) {
        this.buffers = buffers;
        this.format = format;
        this.reader = reader;
        this.stream = stream;
        this.jpeg = jpeg;
        this.orientation = orientation;
    }

    void readHeader(boolean gif) throws IOException {
        reader.addIIOReadWarningListener(watch);
        storedWidth = reader.getWidth(0);
        storedHeight = reader.getHeight(0);
        frameWidth = storedWidth;
        frameHeight = storedHeight;
        if (gif) {
            gifCanvas = GifCanvas.of(reader).orElse(null);
            if (gifCanvas != null) {
                storedWidth = gifCanvas.screenWidth();
                storedHeight = gifCanvas.screenHeight();
            }
        }
    }

    int storedWidth() {
        return storedWidth;
    }

    int storedHeight() {
        return storedHeight;
    }

    /**
     * The size the file declares for the pixels it stores: the image's, or a GIF's first frame, which may be larger
     * than (or lie outside) its logical screen. Checked against the pixel limit like the image's size.
     */
    int frameWidth() {
        return frameWidth;
    }

    int frameHeight() {
        return frameHeight;
    }

    /**
     * What decoding {@code uprightRegion} allocates, in bytes, priced from the header before any pixel exists: the
     * decoded samples at the format's bit depth (16-bit RGBA: 8 bytes a pixel), the 8-bit RGB copy (3), and a fixed
     * part. Decoders write only the region (WebP's decodes its whole canvas); a GIF's frame only where it is on screen,
     * plus the screen it is drawn on.
     */
    long decodeBytes(Rectangle uprightRegion) {
        if (gifCanvas != null) {
            Rectangle frame = visibleFrame();
            long visible = (long) frame.width * frame.height;
            return visible * (bytesPerPixel() + 3) + (long) storedWidth * storedHeight * 3 + FIXED_DECODE_BYTES;
        }
        Rectangle region = RgbImage.storedRegion(orientation, uprightRegion, storedWidth, storedHeight);
        long regionPixels = (long) region.width * region.height;
        long decodedPixels = format == ImageFormat.WEBP ? (long) storedWidth * storedHeight : regionPixels;
        return decodedPixels * bytesPerPixel() + regionPixels * 3 + FIXED_DECODE_BYTES;
    }

    /** Bytes a decoded pixel takes as the reader stores it; 8 (16-bit RGBA, the most) when it does not say. */
    private int bytesPerPixel() {
        if (jpeg != null && jpeg.components() == 4) {
            return 4 + 3; // the CMYK raster and its conversion
        }
        try {
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type != null) {
                SampleModel sm = type.getSampleModel(1, 1);
                int bits = 0;
                for (int size : sm.getSampleSize()) {
                    bits += size;
                }
                return Math.max(1, (bits + 7) / 8);
            }
        } catch (IOException | RuntimeException e) {
            // priced as the worst case below
        }
        return 8;
    }

    /** The part of a GIF's first frame that lies on its screen (at least one pixel, for the palette). */
    private Rectangle visibleFrame() {
        int w = Math.max(1, Math.min(frameWidth, gifCanvas.screenWidth() - gifCanvas.left()));
        int h = Math.max(1, Math.min(frameHeight, gifCanvas.screenHeight() - gifCanvas.top()));
        return new Rectangle(0, 0, w, h);
    }

    /** The reader, for tests that watch what it does. */
    ImageReader reader() {
        return reader;
    }

    /** Width once upright (orientations 5..8 swap the sides). */
    int width() {
        return orientation >= 5 && orientation <= 8 ? storedHeight : storedWidth;
    }

    int height() {
        return orientation >= 5 && orientation <= 8 ? storedWidth : storedHeight;
    }

    /**
     * The upright image, addressed in full-image coordinates, of which only {@code uprightRegion} is decoded (reading
     * outside it is not allowed).
     */
    RgbImage read(Rectangle uprightRegion) throws IOException {
        return readWithin(uprightRegion, dev.argus.domain.Deadline.none());
    }

    /**
     * As {@link #read(Rectangle)}, aborted between rows once {@code deadline} passes: the reader's progress callbacks
     * (every few rows, on this thread) check it and ask the reader to stop, and the deadline's {@code TIMEOUT} is thrown
     * instead of returning the part decoded so far.
     */
    RgbImage readWithin(Rectangle uprightRegion, dev.argus.domain.Deadline deadline) throws IOException {
        if (deadline == dev.argus.domain.Deadline.none()) {
            return decode(uprightRegion);
        }
        DeadlineWatch stop = new DeadlineWatch(deadline);
        reader.addIIOReadProgressListener(stop);
        try {
            RgbImage image = decode(uprightRegion);
            if (stop.aborted()) {
                throw deadline.expired();
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (stop.aborted()) {
                throw deadline.expired(); // what the aborted reader said is not the reason
            }
            throw e;
        } finally {
            reader.removeIIOReadProgressListener(stop);
        }
    }

    /** Asks the reader to abort as soon as one of its progress callbacks finds the deadline passed. */
    private static final class DeadlineWatch extends ReadProgress {
        private final dev.argus.domain.Deadline deadline;
        private boolean aborted;

        DeadlineWatch(dev.argus.domain.Deadline deadline) {
            this.deadline = deadline;
        }

        boolean aborted() {
            return aborted;
        }

        private void check(ImageReader source) {
            if (!aborted && deadline.passed()) {
                aborted = true;
                source.abort();
            }
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            check(source);
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
            check(source);
        }
    }

    private RgbImage decode(Rectangle uprightRegion) throws IOException {
        if (gifCanvas != null) { // decode the frame where it is on screen, and draw it there as PIL does
            ImageReadParam visible = reader.getDefaultReadParam();
            visible.setSourceRegion(visibleFrame());
            RgbImage screen = gifCanvas.compose(reader.read(0, visible));
            watch.check();
            return screen.oriented(orientation);
        }
        Rectangle region = RgbImage.storedRegion(orientation, uprightRegion, storedWidth, storedHeight);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(region);
        RgbImage decoded;
        if (jpeg != null && jpeg.components() == 4) {
            // The JDK reader cannot make an image of CMYK/YCCK, but hands out the stored samples.
            decoded = CmykConverter.toRgb(reader.readRaster(0, param), jpeg.isYcck());
        } else if (reusable()) {
            borrowed = buffers.borrow(region.width, region.height);
            // decoded at (0, 0); the rest of a larger image is left as it was
            param.setDestination(borrowed != null ? borrowed : DecodeBuffers.rgb(region.width, region.height));
            java.awt.image.BufferedImage out = reader.read(0, param);
            decoded = RasterConverter.toRgb(out.getSubimage(0, 0, region.width, region.height));
        } else {
            decoded = RasterConverter.toRgb(reader.read(0, param));
        }
        watch.check();
        return decoded.placedAt(region, storedWidth, storedHeight).oriented(orientation);
    }

    /** A JPEG the JDK decodes to 8-bit colour (YCbCr or RGB), with reused destinations available. */
    private boolean reusable() {
        if (buffers == null || jpeg == null) {
            return false;
        }
        try {
            java.util.Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            return types.hasNext() && types.next().getBufferedImageType() == java.awt.image.BufferedImage.TYPE_3BYTE_BGR;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Gives back the reused destination (the pixels read from this image are no longer valid) and the reader. */
    @Override
    public void close() {
        if (borrowed != null) {
            buffers.giveBack(borrowed);
            borrowed = null;
        }
        reader.dispose();
        try {
            stream.close();
        } catch (IOException ignored) {
            // A memory-backed stream; nothing to release.
        }
    }
}
