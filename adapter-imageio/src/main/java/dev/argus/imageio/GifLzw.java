package dev.argus.imageio;

import dev.argus.domain.ArgusException;

/**
 * PIL's verdict on a GIF's first frame, reached the way PIL's LZW decoder reaches it, without producing pixels: the
 * JDK's reader draws a frame whose codes are broken or whose data runs out, filling the rest, where PIL refuses it
 * ("broken data stream", "image file is truncated"). The rules, as PIL's decoder applies them:
 * <ul>
 * <li>the first code after a clear code must be a literal (below the clear code), and every later one at most the
 * next free table entry;</li>
 * <li>the end code does not end the frame: PIL goes on reading codes from the following bytes (the block terminator
 * and whatever comes after, taken as sub-blocks) until the frame's last pixel is written;</li>
 * <li>a sub-block is used only when all of it is there, and a frame whose pixels are not all written when the bytes
 * run out is truncated.</li>
 * </ul>
 * One pass over the compressed bytes, counting the length of each code's string; nothing is allocated per pixel.
 */
final class GifLzw {
    private static final int TABLE = 4096;

    private GifLzw() {
    }

    static void check(byte[] b) {
        int p = firstImage(b);
        if (p < 0 || p + 10 > b.length) {
            return; // no frame: the decoder says what is wrong
        }
        long pixels = (long) Bytes.u16(b, p + 5, true) * Bytes.u16(b, p + 7, true);
        int flags = b[p + 9] & 0xFF;
        p += 10;
        if ((flags & 0x80) != 0) {
            p += 3 << ((flags & 7) + 1);
        }
        if (pixels == 0 || p >= b.length) {
            return;
        }
        int bits = b[p] & 0xFF;
        if (bits > 12) {
            throw corrupt("its LZW code size is " + bits + " bits; the format allows at most 12");
        }
        decode(b, p + 1, pixels, bits);
    }

    /** The offset of the first image descriptor, after the screen, its palette and any extensions; -1 if none. */
    private static int firstImage(byte[] b) {
        if (b.length < 13) {
            return -1;
        }
        int p = 13;
        int flags = b[10] & 0xFF;
        if ((flags & 0x80) != 0) {
            p += 3 << ((flags & 7) + 1);
        }
        while (p < b.length) {
            int block = b[p] & 0xFF;
            if (block == 0x2C) {
                return p;
            }
            if (block == 0x3B) {
                return -1;
            }
            if (block == 0x21) {
                p += 2;
                while (p < b.length) {
                    int n = b[p] & 0xFF;
                    p += 1 + n;
                    if (n == 0) {
                        break;
                    }
                }
            } else {
                p++; // PIL skips a byte it does not know
            }
        }
        return -1;
    }

    private static void decode(byte[] b, int start, long pixels, int bits) {
        int clear = 1 << bits;
        int end = clear + 1;
        int[] length = new int[TABLE];
        int next = 0, codeSize = 0, codeMask = 0, lastCode = 0;
        boolean first = true;
        boolean reset = true;
        long bitBuffer = 0;
        int bitCount = 0, blockLeft = 0, q = start;
        long written = 0;
        while (true) {
            if (reset) {
                next = clear + 2;
                codeSize = bits + 1;
                codeMask = (1 << codeSize) - 1;
                first = true;
                reset = false;
            }
            while (bitCount < codeSize) {
                if (blockLeft > 0) {
                    bitBuffer |= (long) (b[q++] & 0xFF) << bitCount;
                    bitCount += 8;
                    blockLeft--;
                } else {
                    if (q >= b.length || b.length - q < (b[q] & 0xFF) + 1) {
                        throw truncated(written, pixels);
                    }
                    blockLeft = b[q++] & 0xFF;
                }
            }
            int c = (int) (bitBuffer & codeMask);
            bitBuffer >>>= codeSize;
            bitCount -= codeSize;
            if (c == clear) {
                reset = !first;
                continue;
            }
            if (c == end) {
                continue; // PIL's decoder pauses here and is handed the following bytes
            }
            int n;
            if (first) {
                if (c > clear) {
                    throw corrupt("the first code after a clear code is " + c + ", not a pixel value");
                }
                lastCode = c;
                first = false;
                n = 1;
            } else {
                if (c > next) {
                    throw corrupt("an LZW code (" + c + ") is past the table's next entry (" + next + ")");
                }
                n = c == next ? stringLength(lastCode, clear, length) + 1 : stringLength(c, clear, length);
                if (next < TABLE) {
                    length[next] = stringLength(lastCode, clear, length) + 1;
                    if (next == codeMask && codeSize < 12) {
                        codeSize++;
                        codeMask = (1 << codeSize) - 1;
                    }
                    next++;
                }
                lastCode = c;
            }
            written += n;
            if (written >= pixels) {
                return;
            }
        }
    }

    private static int stringLength(int code, int clear, int[] length) {
        return code < clear ? 1 : length[code];
    }

    private static ArgusException corrupt(String what) {
        return ArgusException.invalidInput("The GIF's image data is corrupt: " + what + ". Send an undamaged GIF file.");
    }

    private static ArgusException truncated(long written, long pixels) {
        return ArgusException.invalidInput("The image data is truncated or corrupt: the GIF's data ends after " + written
                + " of its first frame's " + pixels + " pixels. Send the complete file.");
    }
}
