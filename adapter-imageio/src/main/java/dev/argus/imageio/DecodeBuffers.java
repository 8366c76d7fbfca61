package dev.argus.imageio;

import java.awt.image.BufferedImage;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reused destinations for JPEG decodes: a decoded region is a new byte array of 3 bytes a pixel (2.7 MiB for a
 * 1352 x 900 photo), allocated and dropped at every request; the JDK's reader decodes into a given image instead when
 * asked ({@code ImageReadParam.setDestination}), leaving pixels outside the region alone. At most {@code capacity}
 * images of at most {@code maxBytes} each are kept; a larger region is decoded into a new array as before.
 */
final class DecodeBuffers {
    private final long maxBytes;
    private final ArrayBlockingQueue<BufferedImage> free;

    DecodeBuffers(int capacity, long maxBytes) {
        this.maxBytes = maxBytes;
        this.free = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    /** A BGR image at least {@code width x height}, or null when that is more than a kept image may hold. */
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
        return new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
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
