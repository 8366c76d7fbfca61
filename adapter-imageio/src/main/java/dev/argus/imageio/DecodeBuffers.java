package dev.argus.imageio;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reused destinations for JPEG decodes: a decoded region is a new byte array of 3 bytes a pixel (2.7 MiB for a
 * 1352 x 900 photo), allocated and dropped at every request; the JDK's reader decodes into a given image instead when
 * asked ({@code ImageReadParam.setDestination}), leaving pixels outside the region alone. At most {@code capacity}
 * images of at most {@code maxBytes} each are kept; a larger region is decoded into a new image.
 *
 * <p>The images store R, G, B in that order. The reader's decoded rows are in that order, and it copies each row into
 * its destination with one {@code System.arraycopy} when the orders match; into the JDK's own {@code TYPE_3BYTE_BGR}
 * it copies pixel by pixel through a new array per row (about 2 MB of garbage for a 1352 x 900 photo).
 */
final class DecodeBuffers {
    private final long maxBytes;
    private final ArrayBlockingQueue<BufferedImage> free;

    DecodeBuffers(int capacity, long maxBytes) {
        this.maxBytes = maxBytes;
        this.free = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    /** An RGB image at least {@code width x height}, or null when that is more than a kept image may hold. */
    BufferedImage borrow(int width, int height) {
        if (3L * width * height > maxBytes) {
            return null;
        }
        BufferedImage kept = free.poll();
        if (kept != null && kept.getWidth() >= width && kept.getHeight() >= height) {
            return kept;
        }
        int w = width, h = height;
        if (kept != null && 3L * Math.max(w, kept.getWidth()) * Math.max(h, kept.getHeight()) <= maxBytes) {
            w = Math.max(w, kept.getWidth()); // grow to hold both shapes, so that alternating sizes settle
            h = Math.max(h, kept.getHeight());
        }
        return rgb(w, h);
    }

    /** A new sRGB image of 3 interleaved bytes a pixel in R, G, B order. */
    static BufferedImage rgb(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, width * 3, 3,
                new int[] {0, 1, 2}, null), false, null);
    }

    /** Gives an image back once nothing reads its pixels any more. */
    void giveBack(BufferedImage image) {
        if (image != null) {
            free.offer(image);
        }
    }

    /** Images kept now (tests). */
    int kept() {
        return free.size();
    }
}
