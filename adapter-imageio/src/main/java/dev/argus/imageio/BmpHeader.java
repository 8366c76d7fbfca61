package dev.argus.imageio;

/**
 * The fields of a BMP header that matter before decoding: the size (the JDK's reader refuses huge sizes itself, but
 * as a corrupt file; Argus wants to say "too large") and what the pixel data must hold.
 */
record BmpHeader(long pixelOffset, long width, long height, int bitsPerPixel, long compression) {

    /** Parses the file and info headers (BITMAPCOREHEADER or BITMAPINFOHEADER and later); null when incomplete. */
    static BmpHeader parse(byte[] b) {
        if (b.length < 26) {
            return null;
        }
        long offset = Bytes.u32(b, 10, true);
        long headerSize = Bytes.u32(b, 14, true);
        if (headerSize == 12) {
            return new BmpHeader(offset, Bytes.u16(b, 18, true), Bytes.u16(b, 20, true),
                    Bytes.u16(b, 24, true), 0);
        }
        if (b.length < 34) {
            return null;
        }
        // Height is negative for top-down rows.
        return new BmpHeader(offset, Math.abs((long) (int) Bytes.u32(b, 18, true)),
                Math.abs((long) (int) Bytes.u32(b, 22, true)), Bytes.u16(b, 28, true),
                Bytes.u32(b, 30, true));
    }

    /** Bytes the file needs for its rows when they are stored uncompressed; -1 when compressed (RLE, JPEG, PNG). */
    long uncompressedFileSize() {
        boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
        if (!uncompressed || bitsPerPixel <= 0) {
            return -1;
        }
        return pixelOffset + (bitsPerPixel * width + 31) / 32 * 4 * height;
    }
}
