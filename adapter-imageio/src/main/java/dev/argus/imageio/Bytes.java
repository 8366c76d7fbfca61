package dev.argus.imageio;

/** Unsigned integers read from byte arrays in either byte order (callers check bounds). */
final class Bytes {
    private Bytes() {
    }

    static int u16(byte[] b, int p, boolean littleEndian) {
        int b0 = b[p] & 0xFF, b1 = b[p + 1] & 0xFF;
        return littleEndian ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    static long u32(byte[] b, int p, boolean littleEndian) {
        long hi = u16(b, littleEndian ? p + 2 : p, littleEndian), lo = u16(b, littleEndian ? p : p + 2, littleEndian);
        return hi << 16 | lo;
    }
}
