package dev.argus.app.quantize;

import dev.argus.testkit.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Folders of seeded pictures drawn in the test: a background, rectangles and ellipses of random colours, some noise. */
public final class SyntheticImages {
    private SyntheticImages() {
    }

    /** {@code count} PNG and JPEG images in {@code dir}, from {@code seed}; returns {@code dir}. */
    public static Path folder(Path dir, int count, long seed) {
        Random r = new Random(seed);
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < count; i++) {
                BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                g.fillRect(0, 0, 256, 256);
                for (int s = 0; s < 6; s++) {
                    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                    int x = r.nextInt(200);
                    int y = r.nextInt(200);
                    int w = 20 + r.nextInt(180);
                    int h = 20 + r.nextInt(180);
                    if (r.nextBoolean()) {
                        g.fillRect(x, y, w, h);
                    } else {
                        g.fillOval(x, y, w, h);
                    }
                }
                g.dispose();
                for (int n = 0; n < 2000; n++) {
                    img.setRGB(r.nextInt(256), r.nextInt(256), r.nextInt(0xFFFFFF));
                }
                String format = i % 2 == 0 ? "png" : "jpg";
                Files.write(dir.resolve(String.format("img-%03d.%s", i, format)), TestImages.encode(img, format));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} solid images of one colour (a calibration set that sees nothing of what is served). */
    public static Path solid(Path dir, int count, int rgb) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < count; i++) {
                Files.write(dir.resolve("solid-" + i + ".png"), TestImages.solid(256 + i, 256, rgb, "png"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
