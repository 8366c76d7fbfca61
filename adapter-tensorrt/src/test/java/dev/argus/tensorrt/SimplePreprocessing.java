package dev.argus.tensorrt;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A plain ResNet preprocessing for tests that only compare two models on the same tensors: Java2D bicubic resize of
 * the short side to 256, centre crop 224, /255, ImageNet mean and std, NCHW. Not Pillow-exact and no EXIF (the
 * product's preprocessing lives in adapter-imageio, which this adapter must not depend on).
 */
final class SimplePreprocessing {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private SimplePreprocessing() {
    }

    static float[] nchw(byte[] encoded) {
        BufferedImage src;
        try {
            src = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double scale = 256.0 / Math.min(src.getWidth(), src.getHeight());
        int w = (int) Math.round(src.getWidth() * scale);
        int h = (int) Math.round(src.getHeight() * scale);
        BufferedImage resized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        int x0 = (w - 224) / 2;
        int y0 = (h - 224) / 2;
        float[] out = new float[3 * 224 * 224];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int rgb = resized.getRGB(x0 + x, y0 + y);
                for (int c = 0; c < 3; c++) {
                    int v = rgb >> (16 - 8 * c) & 0xff;
                    out[c * 224 * 224 + y * 224 + x] = (v / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }
}
