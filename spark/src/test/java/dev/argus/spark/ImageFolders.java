package dev.argus.spark;

import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestImages;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Directories of images the tests make: drawn with Java2D, varied sizes, JPEG and PNG, some in subdirectories. */
final class ImageFolders {
    /** The five bad files, by name. */
    static final List<String> BAD_FILES = List.of("bad/text.jpg", "bad/truncated.jpg", "bad/empty.png", "bad/header-only.png",
            "bad/random.webp");

    private ImageFolders() {
    }

    /** {@code count} drawn images: every third in a nested directory, a few with upper-case extensions. */
    static List<Path> drawn(Path dir, int count, long seed) {
        Random r = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean jpeg = i % 2 == 0;
            String ext = jpeg ? "jpg" : "png";
            if (i % 50 == 7) {
                ext = ext.toUpperCase(java.util.Locale.ROOT);
            }
            Path sub = i % 3 == 0 ? dir.resolve("nested/deeper") : dir;
            files.add(write(sub.resolve(String.format("img-%03d.%s", i, ext)),
                    TestImages.encode(draw(40 + r.nextInt(600), 40 + r.nextInt(440), r), jpeg ? "jpg" : "png")));
        }
        return files;
    }

    /** The probe model's designed images, copied into probe/ under their own names. */
    static List<Path> probes(Path dir) {
        List<Path> files = new ArrayList<>();
        for (ProbeCase c : ProbeCase.all()) {
            files.add(write(dir.resolve("probe").resolve(c.name()), c.bytes()));
        }
        return files;
    }

    /** A text file named .jpg, a truncated JPEG, an empty PNG, a PNG header without pixels, random bytes named .webp. */
    static List<Path> bad(Path dir) {
        byte[] random = new byte[4096];
        new Random(5).nextBytes(random);
        List<byte[]> contents = List.of(TestImages.textFile(), TestImages.truncatedJpeg(), new byte[0],
                TestImages.pngHeaderOnly(640, 480), random);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < BAD_FILES.size(); i++) {
            files.add(write(dir.resolve(BAD_FILES.get(i)), contents.get(i)));
        }
        return files;
    }

    private static BufferedImage draw(int width, int height, Random r) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(r.nextInt(0xffffff)), width, height, new Color(r.nextInt(0xffffff))));
            g.fillRect(0, 0, width, height);
            for (int s = 0; s < 6; s++) {
                g.setColor(new Color(r.nextInt(0xffffff)));
                int w = 1 + r.nextInt(Math.max(1, width / 2));
                int h = 1 + r.nextInt(Math.max(1, height / 2));
                if (r.nextBoolean()) {
                    g.fillOval(r.nextInt(width), r.nextInt(height), w, h);
                } else {
                    g.fillRect(r.nextInt(width), r.nextInt(height), w, h);
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
