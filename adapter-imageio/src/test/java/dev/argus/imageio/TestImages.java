package dev.argus.imageio;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small images made in the test, encoded with the JDK's writers, and hand-made file fragments. */
final class TestImages {
    private TestImages() {
    }

    /** Deterministic noise, so that every pixel and channel differs. */
    static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        BufferedImage target = image;
        if (format.equals("jpeg") || format.equals("bmp")) { // these writers want 3-byte BGR
            target = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            target.getGraphics().drawImage(image, 0, 0, null);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(target, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A progressive JPEG of {@code image} (the JDK writer's default script). */
    static byte[] progressiveJpeg(BufferedImage image) {
        BufferedImage target = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        target.getGraphics().drawImage(image, 0, 0, null);
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
             javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(target, null, null), param);
            ios.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * {@code jpeg} with its last scan (SOS segment and entropy-coded data, up to EOI) repeated {@code times} more: a
     * "scan bomb", small but costing a pass over the image per scan.
     */
    static byte[] withLastScanRepeated(byte[] jpeg, int times) {
        int sos = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDA) {
                sos = i; // entropy data never holds FF DA (FF is stuffed), so the last one found is the last scan
            }
        }
        int eoi = jpeg.length - 2;
        if (sos < 0 || (jpeg[eoi] & 0xFF) != 0xFF || (jpeg[eoi + 1] & 0xFF) != 0xD9) {
            throw new IllegalArgumentException("not a JPEG ending in EOI");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, eoi);
        for (int i = 0; i < times; i++) {
            out.write(jpeg, sos, eoi - sos);
        }
        out.write(jpeg, eoi, 2);
        return out.toByteArray();
    }

    /** A PNG chunk with its CRC. */
    static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** A PNG signature and IHDR chunk only: the header of an image of any claimed size, no pixel data. */
    static byte[] pngHeaderOnly(int width, int height) {
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array();
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, pngChunk("IHDR", ihdr));
    }

    /** A minimal big-endian TIFF block whose IFD0 holds only the orientation tag. */
    static byte[] exifTiff(int orientation) {
        return ByteBuffer.allocate(26).put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
                .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0).array();
    }

    /** The PNG with an eXIf chunk (orientation) inserted after IHDR. */
    static byte[] withPngOrientation(byte[] png, int orientation) {
        int afterIhdr = 8 + 25;
        byte[] chunk = pngChunk("eXIf", exifTiff(orientation));
        return concat(slice(png, 0, afterIhdr), chunk, slice(png, afterIhdr, png.length));
    }

    /** The JPEG with an Exif APP1 segment (orientation) inserted after SOI. */
    static byte[] withJpegOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length).put((byte) 0xFF).put((byte) 0xE1)
                .putShort((short) (2 + 6 + tiff.length)).put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(tiff);
        return concat(slice(jpeg, 0, 2), app1.array(), slice(jpeg, 2, jpeg.length));
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }
}
