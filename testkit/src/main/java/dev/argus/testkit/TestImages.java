package dev.argus.testkit;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Images made in memory for tests, and the bad inputs every backend must refuse. */
public final class TestImages {
    private TestImages() {
    }

    /** A solid-colour image encoded in {@code format} ({@code png}, {@code jpg}, {@code bmp}, {@code gif}). */
    public static byte[] solid(int width, int height, int rgb, String format) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        Arrays.fill(row, rgb);
        for (int y = 0; y < height; y++) {
            img.setRGB(0, y, width, 1, row, 0, width);
        }
        return encode(img, format);
    }

    /** Seeded noise with a gradient, so that resampling has something to do. */
    public static byte[] noise(int width, int height, long seed, String format) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = (x * 255 / Math.max(1, width - 1) + r.nextInt(64)) & 0xff;
                int green = (y * 255 / Math.max(1, height - 1) + r.nextInt(64)) & 0xff;
                int blue = r.nextInt(256);
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return encode(img, format);
    }

    public static byte[] encode(BufferedImage img, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG cut off after {@code keep} of its bytes. */
    public static byte[] truncatedJpeg() {
        byte[] jpeg = noise(320, 240, 7, "jpg");
        return Arrays.copyOf(jpeg, jpeg.length / 2);
    }

    /**
     * A PNG that declares {@code width x height} pixels but carries no pixel data: a decompression bomb that must be
     * refused from its header alone.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

    /** Text that is not an image. */
    public static byte[] textFile() {
        return "This is not an image, it is a text file.\n".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The photos in {@code ../shared/images}, sorted; empty when the shared folder is absent. It is optional and
     * outside the repository: callers fall back to generated images or skip (docs/README.md, "Optional material
     * outside the repository").
     */
    public static List<Path> sharedPhotos() {
        return RepoPaths.sharedImages().map(dir -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse(List.of());
    }
}
