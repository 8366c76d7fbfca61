package dev.argus.imageio;

import java.awt.Rectangle;

/**
 * A read-only view of 8-bit RGB pixels somewhere in a byte array: pixel (x, y), channel c lies at
 * {@code data[base + x * xStride + y * yStride + channelOffset[c]]}. Strides may be negative or swapped, which is how
 * EXIF orientation is applied without copying, and how BGR, RGBA or grey rasters are read in place.
 */
record RgbImage(byte[] data, int width, int height, int base, int xStride, int yStride, int r, int g, int b) {

    /** Tightly packed RGB rows. */
    static RgbImage packed(byte[] rgb, int width, int height) {
        return new RgbImage(rgb, width, height, 0, 3, width * 3, 0, 1, 2);
    }

    int sample(int x, int y, int channel) {
        int offset = channel == 0 ? r : channel == 1 ? g : b;
        return data[base + x * xStride + y * yStride + offset] & 0xFF;
    }

    /**
     * The same pixels seen upright per an EXIF orientation tag (1..8; anything else means 1), with the semantics of
     * PIL's {@code ImageOps.exif_transpose}: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise,
     * 7 transverse, 8 rotate 90 counter-clockwise.
     */
    RgbImage oriented(int orientation) {
        int w = width, h = height, xs = xStride, ys = yStride;
        // For each case: out(x, y) = in(u, v) with u, v affine in x, y; base moves to where out(0, 0) lies.
        return switch (orientation) {
            case 2 -> view(w, h, base + (w - 1) * xs, -xs, ys);                       // u = w-1-x, v = y
            case 3 -> view(w, h, base + (w - 1) * xs + (h - 1) * ys, -xs, -ys);       // u = w-1-x, v = h-1-y
            case 4 -> view(w, h, base + (h - 1) * ys, xs, -ys);                       // u = x,     v = h-1-y
            case 5 -> view(h, w, base, ys, xs);                                       // u = y,     v = x
            case 6 -> view(h, w, base + (h - 1) * ys, -ys, xs);                       // u = y,     v = h-1-x
            case 7 -> view(h, w, base + (w - 1) * xs + (h - 1) * ys, -ys, -xs);       // u = w-1-y, v = h-1-x
            case 8 -> view(h, w, base + (w - 1) * xs, ys, -xs);                       // u = w-1-y, v = x
            default -> this;
        };
    }

    /**
     * This image as the {@code region} of a larger {@code width x height} one: the result is addressed in the larger
     * image's coordinates, and only pixels inside {@code region} may be read.
     */
    RgbImage placedAt(Rectangle region, int fullWidth, int fullHeight) {
        if (region.width != width || region.height != height) {
            throw new IllegalArgumentException("decoded " + width + "x" + height + " for region " + region);
        }
        return new RgbImage(data, fullWidth, fullHeight, base - region.x * xStride - region.y * yStride, xStride,
                yStride, r, g, b);
    }

    /**
     * The rectangle of a stored {@code width x height} image that becomes {@code upright} after
     * {@link #oriented(int) orienting} it.
     */
    static Rectangle storedRegion(int orientation, Rectangle upright, int width, int height) {
        int x0 = upright.x, y0 = upright.y, x1 = upright.x + upright.width, y1 = upright.y + upright.height;
        return switch (orientation) {
            case 2 -> span(width - x1, width - x0, y0, y1);
            case 3 -> span(width - x1, width - x0, height - y1, height - y0);
            case 4 -> span(x0, x1, height - y1, height - y0);
            case 5 -> span(y0, y1, x0, x1);
            case 6 -> span(y0, y1, height - x1, height - x0);
            case 7 -> span(width - y1, width - y0, height - x1, height - x0);
            case 8 -> span(width - y1, width - y0, x0, x1);
            default -> new Rectangle(upright);
        };
    }

    private static Rectangle span(int u0, int u1, int v0, int v1) {
        return new Rectangle(u0, v0, u1 - u0, v1 - v0);
    }

    private RgbImage view(int w, int h, int newBase, int newXStride, int newYStride) {
        return new RgbImage(data, w, h, newBase, newXStride, newYStride, r, g, b);
    }
}
