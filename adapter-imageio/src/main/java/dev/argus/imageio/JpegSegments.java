package dev.argus.imageio;

import java.util.ArrayList;
import java.util.List;

/**
 * What the marker segments before a JPEG's first scan say: the number of colour components (4 = CMYK or YCCK), the
 * Adobe colour transform, the EXIF orientation and where the ICC profile lies. A malformed segment ends the scan
 * quietly: the decoder reports the damage.
 *
 * @param components     components in the frame header, 0 when none was seen
 * @param adobeTransform transform byte of the Adobe APP14 segment (0 = none/CMYK, 1 = YCbCr, 2 = YCCK), -1 when absent
 * @param orientation    EXIF orientation of the first Exif APP1 segment, 1 when absent
 * @param iccSegments    {start, end} of each ICC_PROFILE APP2 segment, marker included
 */
record JpegSegments(int components, int adobeTransform, int orientation, List<int[]> iccSegments) {

    static JpegSegments scan(byte[] b) {
        int components = 0, adobe = -1, orientation = ExifOrientation.UPRIGHT;
        boolean exifSeen = false;
        List<int[]> icc = new ArrayList<>();
        int p = 2;
        while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                p++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // standalone markers
                p += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan, end of image
                break;
            }
            int end = p + 2 + Bytes.u16(b, p + 2, false);
            int data = p + 4;
            if (end < data || end > b.length) {
                break;
            }
            if (marker == 0xE1 && !exifSeen && startsWith(b, data, end, "Exif\0")) {
                exifSeen = true;
                orientation = ExifOrientation.fromTiff(b, data + 6, end);
            } else if (marker == 0xE2 && startsWith(b, data, end, "ICC_PROFILE\0")) {
                icc.add(new int[] {p, end});
            } else if (marker == 0xEE && startsWith(b, data, end, "Adobe") && end - data >= 12) {
                adobe = b[data + 11] & 0xFF;
            } else if (isStartOfFrame(marker) && end - data >= 6) {
                components = b[data + 5] & 0xFF;
            }
            p = end;
        }
        return new JpegSegments(components, adobe, orientation, List.copyOf(icc));
    }

    /**
     * The number of scans (SOS markers) in the file, walking the marker segments and skipping each scan's
     * entropy-coded data (where 0xFF is followed only by a stuffed 0x00, a restart marker or fill); counting stops
     * at {@code limit + 1}. APP segments are skipped by their length, so an embedded thumbnail's scans are not counted.
     */
    static int countScans(byte[] b, int limit) {
        int scans = 0;
        int p = 2;
        while (p + 1 < b.length) {
            if ((b[p] & 0xFF) != 0xFF) {
                p++;
                continue;
            }
            int marker = b[p + 1] & 0xFF;
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0xD9) {
                break;
            }
            if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                p += 2;
                continue;
            }
            if (p + 4 > b.length) {
                break;
            }
            int end = p + 2 + Bytes.u16(b, p + 2, false);
            if (end < p + 4 || end > b.length) {
                break;
            }
            p = end;
            if (marker == 0xDA) {
                if (++scans > limit) {
                    return scans;
                }
                while (p + 1 < b.length) {
                    if ((b[p] & 0xFF) == 0xFF) {
                        int next = b[p + 1] & 0xFF;
                        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                            p += 2;
                            continue;
                        }
                        if (next != 0xFF) {
                            break;
                        }
                    }
                    p++;
                }
            }
        }
        return scans;
    }

    /** libjpeg's rule: four components are YCCK when an Adobe segment says any transform but 0, else CMYK. */
    boolean isYcck() {
        return components == 4 && adobeTransform > 0;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWith(byte[] b, int from, int end, String prefix) {
        if (end - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
