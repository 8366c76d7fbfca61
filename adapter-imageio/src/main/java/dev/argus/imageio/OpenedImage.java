package dev.argus.imageio;

import java.awt.Rectangle;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image whose header has been read but whose pixels have not. {@link #read(Rectangle)} decodes only the part the
 * preprocessing needs (decoders still parse everything before it, but skip converting and copying the rest).
 * Holds an ImageIO reader: close it.
 */
final class OpenedImage implements AutoCloseable {
    private final ImageReader reader;
    private final ImageInputStream stream;
    private final JpegSegments jpeg;
    private final int orientation;
    private final TruncationWatch watch = new TruncationWatch();
    private int storedWidth;
    private int storedHeight;
    private GifCanvas gifCanvas;

    OpenedImage(ImageReader reader, ImageInputStream stream, JpegSegments jpeg, int orientation) {
        this.reader = reader;
        this.stream = stream;
        this.jpeg = jpeg;
        this.orientation = orientation;
    }

    void readHeader(boolean gif) throws IOException {
        reader.addIIOReadWarningListener(watch);
        storedWidth = reader.getWidth(0);
        storedHeight = reader.getHeight(0);
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
        if (gifCanvas != null) { // small: decode the whole frame and draw it on the screen as PIL does
            RgbImage screen = gifCanvas.compose(reader.read(0));
            watch.check();
            return screen.oriented(orientation);
        }
        Rectangle region = RgbImage.storedRegion(orientation, uprightRegion, storedWidth, storedHeight);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(region);
        RgbImage decoded = jpeg != null && jpeg.components() == 4
                // The JDK reader cannot make an image of CMYK/YCCK, but hands out the stored samples.
                ? CmykConverter.toRgb(reader.readRaster(0, param), jpeg.isYcck())
                : RasterConverter.toRgb(reader.read(0, param));
        watch.check();
        return decoded.placedAt(region, storedWidth, storedHeight).oriented(orientation);
    }

    @Override
    public void close() {
        reader.dispose();
        try {
            stream.close();
        } catch (IOException ignored) {
            // A memory-backed stream; nothing to release.
        }
    }
}
