package dev.argus.imageio;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Decoded images to 8-bit RGB the way PIL's {@code convert('RGB')} makes it: alpha is dropped (not composited),
 * palettes are looked up, grey is replicated, 16-bit samples keep their high byte - except 16-bit grey without
 * alpha, which PIL opens as 32-bit integers and CLIPS to 0..255 instead of scaling.
 *
 * <p>8-bit interleaved rasters (JPEG, most PNG, BMP, WebP) are read in place, without copying.
 */
final class RasterConverter {
    private RasterConverter() {
    }

    static RgbImage toRgb(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel palette) {
            return fromPalette(raster, palette);
        }
        int space = cm.getColorSpace().getType();
        if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
            throw new UnsupportedImageException("colour space type " + space + " is not supported (only RGB and grey)");
        }
        boolean grey = space == ColorSpace.TYPE_GRAY;
        if (cm instanceof ComponentColorModel && raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                && allZero(sm.getBankIndices())) {
            return inPlace(raster, sm, buffer, grey);
        }
        return bySamples(raster, cm, grey);
    }

    /** Interleaved bytes: a strided view on the raster's own array. */
    private static RgbImage inPlace(Raster raster, ComponentSampleModel sm, DataBufferByte buffer, boolean grey) {
        int[] offsets = sm.getBandOffsets();
        int pixelStride = sm.getPixelStride(), scanlineStride = sm.getScanlineStride();
        int base = buffer.getOffset() - raster.getSampleModelTranslateX() * pixelStride
                - raster.getSampleModelTranslateY() * scanlineStride;
        int r = offsets[0], g = grey ? offsets[0] : offsets[1], b = grey ? offsets[0] : offsets[2];
        return new RgbImage(buffer.getData(), raster.getWidth(), raster.getHeight(), base,
                pixelStride, scanlineStride, r, g, b);
    }

    private static RgbImage fromPalette(Raster raster, IndexColorModel palette) {
        int size = palette.getMapSize();
        int[] argb = new int[size];
        palette.getRGBs(argb);
        int w = raster.getWidth(), h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int c = row[x] < size ? argb[row[x]] : 0;
                out[o++] = (byte) (c >> 16);
                out[o++] = (byte) (c >> 8);
                out[o++] = (byte) c;
            }
        }
        return RgbImage.packed(out, w, h);
    }

    /** Any other sample layout (16-bit, packed ints, odd bit depths), one row at a time. */
    private static RgbImage bySamples(Raster raster, ColorModel cm, boolean grey) {
        int w = raster.getWidth(), h = raster.getHeight(), bands = raster.getNumBands();
        int[] bits = cm.getComponentSize();
        boolean clipGrey16 = grey && !cm.hasAlpha() && raster.getDataBuffer().getDataType() == DataBuffer.TYPE_USHORT;
        int[] band = grey ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * bands];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = row[x * bands + band[c]];
                    out[o++] = (byte) (clipGrey16 ? Math.min(v, 255) : to8Bits(v, bits[band[c]]));
                }
            }
        }
        return RgbImage.packed(out, w, h);
    }

    private static int to8Bits(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        return bits > 8 ? v >>> (bits - 8) : v * 255 / ((1 << bits) - 1);
    }

    private static boolean allZero(int[] values) {
        for (int v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
