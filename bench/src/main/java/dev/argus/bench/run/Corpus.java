package dev.argus.bench.run;

import dev.argus.domain.ArgusException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** The images every backend classifies: a directory's image files, or generated ones. In a fixed order. */
public record Corpus(String source, List<Image> images) {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp");
    /** Sizes of generated images: photo-like, from small to large, so that decode and resize cost what they cost. */
    private static final int[][] SIZES = {{640, 480}, {800, 600}, {500, 375}, {1024, 768}, {1280, 720}, {375, 500}, {1600, 1200}};

    public Corpus {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw ArgusException.invalidInput("The benchmark corpus " + source + " holds no images.");
        }
    }

    /** One encoded image file. */
    public record Image(String name, byte[] bytes) {
    }

    public int size() {
        return images.size();
    }

    /** Total encoded bytes. */
    public long bytes() {
        return images.stream().mapToLong(i -> i.bytes().length).sum();
    }

    /** The image files under {@code dir} (recursively), sorted by path; at most {@code limit}. */
    public static Corpus load(Path dir, int limit) {
        if (limit < 1) {
            throw ArgusException.configuration("--max-images must be at least 1, got " + limit);
        }
        if (!Files.isDirectory(dir)) {
            throw ArgusException.invalidInput("Benchmark images directory " + dir + " does not exist.");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Image> images = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).filter(Corpus::isImage).sorted(Comparator.comparing(Path::toString))
                    .limit(limit).toList()) {
                images.add(new Image(dir.relativize(f).toString(), Files.readAllBytes(f)));
            }
            if (images.isEmpty()) {
                throw ArgusException.invalidInput("No image files (" + String.join(" ", EXTENSIONS) + ") in " + dir + ".");
            }
            return new Corpus(dir.toAbsolutePath().toString(), images);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read benchmark images in " + dir, e);
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /**
     * {@code count} deterministic synthetic photos-to-be: gradients, shapes and noise at photo sizes, two JPEGs
     * (ImageIO's default quality) for every PNG. The same count always gives the same bytes on the same JDK.
     */
    public static Corpus generated(int count) {
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] size = SIZES[i % SIZES.length];
            BufferedImage img = draw(size[0], size[1], new Random(1_000_003L * (i + 1)));
            String format = i % 3 == 2 ? "png" : "jpg";
            images.add(new Image(String.format(Locale.ROOT, "generated-%03d-%dx%d.%s", i, size[0], size[1], format),
                    encode(img, format)));
        }
        return new Corpus("generated (" + count + " synthetic images)", images);
    }

    private static BufferedImage draw(int w, int h, Random rnd) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, color(rnd), w, h, color(rnd)));
        g.fillRect(0, 0, w, h);
        for (int s = 0; s < 12; s++) {
            g.setColor(color(rnd));
            int x = rnd.nextInt(w);
            int y = rnd.nextInt(h);
            int sw = 20 + rnd.nextInt(Math.max(21, w / 3));
            int sh = 20 + rnd.nextInt(Math.max(21, h / 3));
            switch (s % 3) {
                case 0 -> g.fillOval(x - sw / 2, y - sh / 2, sw, sh);
                case 1 -> g.fillRect(x - sw / 2, y - sh / 2, sw, sh);
                default -> {
                    g.setStroke(new BasicStroke(2 + rnd.nextInt(10)));
                    g.drawLine(x, y, rnd.nextInt(w), rnd.nextInt(h));
                }
            }
        }
        g.dispose();
        // fine-grained noise, as in real photos: it is what makes JPEG decoding cost what it costs
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int n = rnd.nextInt(17) - 8;
                int r = clamp(((rgb >> 16) & 255) + n);
                int gg = clamp(((rgb >> 8) & 255) + n);
                int b = clamp((rgb & 255) + n);
                img.setRGB(x, y, (r << 16) | (gg << 8) | b);
            }
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color color(Random rnd) {
        return new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
    }

    private static byte[] encode(BufferedImage img, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
