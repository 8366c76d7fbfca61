package dev.argus.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small files that declare or unpack to far more than they weigh, as an attacker sends them: each is valid enough
 * for a decoder to start allocating. Made here, byte by byte, so that tests need no fixtures.
 */
public final class HostileImages {
    private HostileImages() {
    }

    /**
     * A GIF whose logical screen is {@code screen x screen} but whose first frame declares {@code frame x frame}
     * pixels at (0,0), with a few bytes of LZW data (a clear code and one pixel): under 40 bytes. The JDK's reader
     * allocates the whole frame's raster before reading any data.
     */
    public static byte[] gifWithLargeFrame(int screen, int frame) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes("GIF89a".getBytes(StandardCharsets.US_ASCII));
        u16(o, screen);
        u16(o, screen);
        o.write(0x80); // global colour table of 2 entries
        o.write(0);
        o.write(0);
        o.writeBytes(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        o.write(0x2C); // image descriptor at (0,0)
        u16(o, 0);
        u16(o, 0);
        u16(o, frame);
        u16(o, frame);
        o.write(0);
        o.write(2); // LZW minimum code size
        o.writeBytes(new byte[] {2, 0x44, 0x01, 0}); // clear, index 0, end of information; block terminator
        o.write(0x3B);
        return o.toByteArray();
    }

    /**
     * A flat (all-zero) PNG of {@code width x height} pixels, 16-bit RGBA: 8 bytes a decoded pixel, yet a 7071x7071
     * one deflates to about 600 KB.
     */
    public static byte[] flatPng16Rgba(int width, int height) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + width * 8]; // filter type 0, then zero samples
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png(width, height, 16, 6, null, idat.toByteArray());
    }

    /**
     * A 1x1 PNG carrying a metadata chunk ({@code zTXt}, {@code iTXt} or {@code iCCP}) whose compressed payload
     * inflates to {@code inflatedMiB} MiB: a decoder that reads metadata unpacks all of it.
     */
    public static byte[] pngWithCompressedChunkBomb(String chunk, int inflatedMiB) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        switch (chunk) {
            case "zTXt" -> payload.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
            case "iCCP" -> payload.writeBytes("icc\0\0".getBytes(StandardCharsets.ISO_8859_1));
            case "iTXt" -> payload.writeBytes("Comment\0\1\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
            default -> throw new IllegalArgumentException(chunk);
        }
        try (DeflaterOutputStream z = new DeflaterOutputStream(payload, new Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < inflatedMiB; i++) {
                z.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[] {0, 10, 20, 30});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png(1, 1, 8, 2, new Chunk(chunk, payload.toByteArray()), idat.toByteArray());
    }

    private record Chunk(String type, byte[] data) {
    }

    private static byte[] png(int width, int height, int bitDepth, int colourType, Chunk extra, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        try {
            o.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                    .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(o, "IHDR", ihdr.array());
            if (extra != null) {
                chunk(o, extra.type(), extra.data());
            }
            chunk(o, "IDAT", idat);
            chunk(o, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        o.writeInt(data.length);
        o.write(t);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        o.writeInt((int) crc.getValue());
    }

    /**
     * A WebP whose extended header (VP8X) declares a {@code canvas x canvas} canvas but whose lossless bitstream
     * (VP8L) declares {@code frame x frame} pixels (at most 16384).
     */
    public static byte[] webpWithLargeFrame(int canvas, int frame) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        byte[] vp8x = new byte[10];
        u24(vp8x, 4, canvas - 1);
        u24(vp8x, 7, canvas - 1);
        riffChunk(body, "VP8X", vp8x);
        ByteBuffer vp8l = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
        vp8l.put((byte) 0x2f).putInt((frame - 1) | (frame - 1) << 14);
        riffChunk(body, "VP8L", vp8l.array());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.size()).array());
        file.writeBytes(body.toByteArray());
        return file.toByteArray();
    }

    /**
     * A 24-bit BMP of {@code width x |height|} pixels with the given (possibly negative: top-down) stored height; its
     * pixel data is cut to 16 bytes when the full rows would pass 1 MiB (a header that claims more than it carries).
     */
    public static byte[] bmp(int width, int height) {
        long rows = Math.abs((long) height);
        long stride = ((long) width * 3 + 3) & ~3L;
        int pixels = stride * rows > (1 << 20) ? 16 : (int) (stride * rows);
        ByteBuffer b = ByteBuffer.allocate(54 + pixels).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + pixels).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(pixels)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        for (int i = 0; i < pixels; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    private static void riffChunk(ByteArrayOutputStream o, String id, byte[] data) {
        o.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        o.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length).array());
        o.writeBytes(data);
        if (data.length % 2 == 1) {
            o.write(0);
        }
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v & 0xff);
        o.write(v >> 8 & 0xff);
    }

    private static void u24(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
    }
}
