package dev.argus.imageio;

/**
 * Finds the EXIF orientation tag (0x0112 in IFD0) where PIL's {@code getexif()} finds it: the first {@code Exif} APP1
 * segment of a JPEG (see {@link JpegSegments}), the {@code eXIf} chunk of a PNG, the {@code EXIF} chunk of a WebP.
 * Everything is bounds-checked; anything malformed reads as 1 (upright), as a missing tag does.
 */
final class ExifOrientation {
    static final int UPRIGHT = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation in a TIFF-structured EXIF block {@code b[start, end)}, optionally prefixed "Exif\0\0". */
    static int fromTiff(byte[] b, int start, int end) {
        if (end - start >= 6 && b[start] == 'E' && b[start + 1] == 'x' && b[start + 2] == 'i' && b[start + 3] == 'f') {
            start += 6;
        }
        if (start < 0 || end > b.length || end - start < 8) {
            return UPRIGHT;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        long ifd = Bytes.u32(b, start + 4, little);
        if (ifd < 8 || ifd > end - start - 2) {
            return UPRIGHT;
        }
        int p = start + (int) ifd;
        int entries = Bytes.u16(b, p, little);
        p += 2;
        for (int i = 0; i < entries && p + 12 <= end; i++, p += 12) {
            if (Bytes.u16(b, p, little) != ORIENTATION_TAG) {
                continue;
            }
            int type = Bytes.u16(b, p + 2, little);
            if (Bytes.u32(b, p + 4, little) != 1) {
                return UPRIGHT; // PIL reads a count other than 1 as a tuple, which names no orientation
            }
            long value = type == 3 ? Bytes.u16(b, p + 8, little) : type == 4 ? Bytes.u32(b, p + 8, little) : -1;
            return value >= 1 && value <= 8 ? (int) value : UPRIGHT;
        }
        return UPRIGHT;
    }

    /** The orientation in a PNG's {@code eXIf} chunk, wherever it lies among the chunks. */
    static int inPng(byte[] b) {
        long p = 8;
        while (p + 12 <= b.length) {
            long length = Bytes.u32(b, (int) p, false);
            int type = (int) p + 4;
            long data = p + 8;
            if (data + length > b.length) {
                break;
            }
            if (b[type] == 'e' && b[type + 1] == 'X' && b[type + 2] == 'I' && b[type + 3] == 'f') {
                return fromTiff(b, (int) data, (int) (data + length));
            }
            if (b[type] == 'I' && b[type + 1] == 'E' && b[type + 2] == 'N' && b[type + 3] == 'D') {
                break;
            }
            p = data + length + 4;
        }
        return UPRIGHT;
    }

    /** The orientation in a WebP's {@code EXIF} chunk. */
    static int inWebp(byte[] b) {
        long p = 12;
        while (p + 8 <= b.length) {
            int tag = (int) p;
            long length = Bytes.u32(b, tag + 4, true);
            long data = p + 8;
            if (data + length > b.length) {
                break;
            }
            if (b[tag] == 'E' && b[tag + 1] == 'X' && b[tag + 2] == 'I' && b[tag + 3] == 'F') {
                return fromTiff(b, (int) data, (int) (data + length));
            }
            p = data + length + (length & 1);
        }
        return UPRIGHT;
    }
}
