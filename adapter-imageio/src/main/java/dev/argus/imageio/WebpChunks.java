package dev.argus.imageio;

import dev.argus.domain.ArgusException;

/**
 * The sizes a WebP file declares, read from its RIFF chunks before decoding: the canvas (VP8X), every animation frame
 * (ANMF) and every bitstream (VP8, VP8L). The decoder reports the canvas, but sizes its buffers from the bitstream: a
 * 100x100 canvas holding a bitstream that declares 16000x16000 made it allocate over 100 MB. So every declared size is
 * held to the pixel limit, and a bitstream or frame larger than its canvas (which the format forbids) is refused.
 */
final class WebpChunks {
    private WebpChunks() {
    }

    static void check(byte[] b, long maxPixels) {
        long riff = Bytes.u32(b, 4, true);
        if (riff < 12) { // libwebp: no room for the "WEBP" tag and one chunk header
            throw ArgusException.invalidInput("The WebP's RIFF header gives a size of " + riff + " bytes, too small for"
                    + " any image. Send a valid WebP file.");
        }
        int end = (int) Math.min(b.length, 8 + Math.min(riff, Integer.MAX_VALUE - 8));
        long first = b.length >= 20 ? 12 + 8 + Bytes.u32(b, 16, true) : 0;
        if (first > 8 + riff && 8 + riff <= b.length) {
            // libwebp decodes only what the RIFF size covers, and refuses a first chunk that runs past it
            throw ArgusException.invalidInput("The WebP's first chunk runs to byte " + first + ", past the " + (8 + riff)
                    + " bytes its RIFF header gives. Send a valid WebP file.");
        }
        String firstId = b.length >= 16 ? new String(b, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        long firstSize = b.length >= 20 ? Bytes.u32(b, 16, true) : 0;
        if ((firstId.equals("VP8 ") && firstSize < 10) || (firstId.equals("VP8L") && firstSize < 5)) {
            throw ArgusException.invalidInput("The WebP's " + firstId.trim() + " bitstream chunk holds " + firstSize
                    + " bytes, too few for its header. Send a valid WebP file.");
        }
        walk(b, 12, end, maxPixels, new long[] {-1, -1});
    }

    /** The chunks in {@code [from, to)}: the canvas, animation frames (and the chunks inside them), bitstreams. */
    private static void walk(byte[] b, int from, int to, long maxPixels, long[] canvas) {
        for (int at = from; at + 8 <= to; ) {
            String id = new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = Bytes.u32(b, at + 4, true);
            int data = at + 8;
            switch (id) {
                case "VP8X" -> {
                    if (data + 10 <= b.length) {
                        canvas[0] = u24(b, data + 4) + 1;
                        canvas[1] = u24(b, data + 7) + 1;
                        limit("canvas", canvas[0], canvas[1], maxPixels);
                    }
                }
                case "ANMF" -> {
                    if (data + 16 <= b.length) {
                        long w = u24(b, data + 6) + 1;
                        long h = u24(b, data + 9) + 1;
                        limit("animation frame", w, h, maxPixels);
                        fits("animation frame", w, h, canvas[0], canvas[1]);
                        walk(b, data + 16, (int) Math.min(b.length, data + size), maxPixels, canvas);
                    }
                }
                case "VP8 ", "VP8L" -> bitstream(b, id, data, maxPixels, canvas[0], canvas[1]);
                default -> { }
            }
            long next = data + size + (size & 1);
            if (next > to || next <= at) {
                break;
            }
            at = (int) next;
        }
    }

    private static void bitstream(byte[] b, String id, int data, long maxPixels, long canvasW, long canvasH) {
        long w;
        long h;
        if (id.equals("VP8L")) {
            if (data + 5 > b.length || (b[data] & 0xFF) != 0x2F) {
                return; // not a lossless bitstream header: the decoder says what is wrong
            }
            long bits = Bytes.u32(b, data + 1, true);
            w = (bits & 0x3FFF) + 1;
            h = (bits >> 14 & 0x3FFF) + 1;
        } else {
            if (data + 10 > b.length || (b[data + 3] & 0xFF) != 0x9D || (b[data + 4] & 0xFF) != 0x01 || (b[data + 5] & 0xFF) != 0x2A) {
                return;
            }
            w = Bytes.u16(b, data + 6, true) & 0x3FFF;
            h = Bytes.u16(b, data + 8, true) & 0x3FFF;
        }
        limit("bitstream", w, h, maxPixels);
        fits("bitstream", w, h, canvasW, canvasH);
    }

    private static void limit(String what, long w, long h, long maxPixels) {
        if (w * h > maxPixels) {
            throw ArgusException.tooLarge("The WebP " + what + " is " + w + "x" + h + " = " + w * h + " pixels, which exceeds "
                    + "the limit of " + maxPixels + " pixels. Send a smaller image (or raise the pixel limit).");
        }
    }

    private static void fits(String what, long w, long h, long canvasW, long canvasH) {
        if (canvasW > 0 && (w > canvasW || h > canvasH)) {
            throw ArgusException.invalidInput("The WebP " + what + " is " + w + "x" + h + ", larger than its " + canvasW + "x"
                    + canvasH + " canvas, which the format does not allow. Send a valid WebP file.");
        }
    }

    private static long u24(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16;
    }
}
