package dev.argus.imageio;

import dev.argus.domain.ArgusException;

/**
 * Structural checks for truncated files that decoders would otherwise accept, filling the missing part with grey or
 * black: the JDK's JPEG and BMP readers and TwelveMonkeys' lossless WebP reader do. PIL refuses such files ("image
 * file is truncated"), and a half-blank image would be classified as if it were whole, so Argus refuses them too.
 * Cheap: one pass over the bytes, no decoding.
 */
final class TruncationCheck {
    private TruncationCheck() {
    }

    static void check(ImageFormat format, byte[] b) {
        String problem = switch (format) {
            case JPEG -> jpegHasEnd(b) ? null : "the JPEG ends before its end-of-image marker";
            case BMP -> bmp(b);
            case WEBP -> webp(b);
            default -> null;
        };
        if (problem != null) {
            throw ArgusException.invalidInput("The image data is truncated or corrupt: " + problem
                    + " (" + b.length + " bytes). Send the complete file.");
        }
    }

    /**
     * Walks the JPEG's segments (skipping each by its length, so that an embedded thumbnail's markers do not count)
     * and its entropy-coded data (where 0xFF is always followed by 0x00, a restart marker or a real marker) until the
     * end-of-image marker. Bytes after it are allowed, as PIL allows them.
     */
    static boolean jpegHasEnd(byte[] b) {
        int p = 2;
        while (p + 1 < b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                p++; // entropy-coded data, or junk between segments that libjpeg skips
                continue;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xD9) {
                return true;
            }
            if (marker == 0xFF) {
                p++; // fill byte
            } else if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                p += 2; // stuffed zero in scan data, or a marker without a length
            } else if (p + 4 > b.length) {
                return false;
            } else {
                p += 2 + Bytes.u16(b, p + 2, false); // a segment: skip its payload
            }
        }
        return false;
    }

    /** Uncompressed BMPs must hold every row their header promises (RLE ones are left to the decoder). */
    private static String bmp(byte[] b) {
        BmpHeader header = BmpHeader.parse(b);
        if (header == null) {
            return "the BMP header is incomplete";
        }
        long needed = header.uncompressedFileSize();
        return needed > b.length ? "the BMP header promises " + needed + " bytes of header and pixel data" : null;
    }

    /** The RIFF header gives the file's length. */
    private static String webp(byte[] b) {
        long needed = 8 + Bytes.u32(b, 4, true);
        return needed > b.length ? "the WebP's RIFF header promises " + needed + " bytes" : null;
    }
}
