package dev.argus.imageio;

import java.awt.image.Raster;

/**
 * Four-component JPEG rasters (as stored, before any colour conversion) to RGB exactly as PIL does it.
 *
 * <p>PIL always reads CMYK JPEGs as Adobe-inverted ("CMYK;I"); YCCK ones are first turned into CMYK by libjpeg with its
 * integer YCbCr tables. {@code convert('RGB')} then computes {@code (255 - K) - (C * (255 - K)) / 255} per channel
 * with PIL's rounded integer division by 255. No ICC profile takes part, as in PIL.
 */
final class CmykConverter {
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // libjpeg's jdcolor.c tables: 16 fractional bits, FIX(x) = (int) (x * 65536 + 0.5).
        int half = 1 << 15;
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + half) >> 16;
            CB_B[i] = (fix(1.77200) * x + half) >> 16;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + half;
        }
    }

    private CmykConverter() {
    }

    static RgbImage toRgb(Raster raster, boolean ycck) {
        if (raster.getNumBands() != 4) {
            throw new UnsupportedImageException("a 4-component JPEG decoded to " + raster.getNumBands() + " bands");
        }
        int w = raster.getWidth(), h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * 4];
        int[] cmyk = new int[4];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                pilCmyk(row, x * 4, ycck, cmyk);
                int nk = 255 - cmyk[3];
                for (int c = 0; c < 3; c++) {
                    out[o++] = (byte) clamp(nk - mulDiv255(cmyk[c], nk));
                }
            }
        }
        return RgbImage.packed(out, w, h);
    }

    /** The CMYK values PIL holds for stored samples {@code s[p..p+3]}. */
    private static void pilCmyk(int[] s, int p, boolean ycck, int[] cmyk) {
        if (ycck) {
            // libjpeg: C = 255 - R(YCC), ... ; then PIL inverts again, so C = R(YCC) etc. K is stored as is.
            int luma = s[p], cb = s[p + 1], cr = s[p + 2];
            cmyk[0] = clamp(luma + CR_R[cr]);
            cmyk[1] = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> 16));
            cmyk[2] = clamp(luma + CB_B[cb]);
        } else {
            cmyk[0] = 255 - s[p];
            cmyk[1] = 255 - s[p + 1];
            cmyk[2] = 255 - s[p + 2];
        }
        cmyk[3] = 255 - s[p + 3];
    }

    /** PIL's MULDIV255: a * b / 255, rounded, in integers. */
    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int fix(double x) {
        return (int) (x * 65536 + 0.5);
    }
}
