package dev.argus.imageio;

import dev.argus.domain.ArgusException;
import java.util.zip.CRC32;

/**
 * The PNG chunk rules that PIL applies and the JDK's reader does not, so that Argus accepts what PIL accepts.
 * <ul>
 * <li>Every chunk before the image data (IHDR, PLTE, tRNS, ...) must carry a correct CRC and a name of four letters or
 * digits: PIL refuses the file otherwise ("broken PNG file"), while the JDK reads a damaged palette or header as it
 * is. The image data (IDAT) CRCs are not checked, by PIL either.</li>
 * <li>What follows the image data is not needed for the pixels, and PIL stops reading it at the first damage (a
 * truncated chunk, a length past the end, a missing IEND). The JDK reads it all and fails, so such a tail is cut
 * after the last image data chunk and replaced by IEND before decoding.</li>
 * </ul>
 */
final class PngChunks {
    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    private PngChunks() {
    }

    /** The bytes to decode: {@code b} itself, or with a damaged tail after the image data replaced by IEND. */
    static byte[] checked(byte[] b) {
        int at = 8;
        boolean seenData = false;
        int dataEnd = -1;
        while (true) {
            if (at + 8 > b.length) {
                return seenData ? withEnd(b, dataEnd) : b; // before the data, the decoder reports the truncation
            }
            long length = Bytes.u32(b, at, false);
            String name = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean isData = name.equals("IDAT");
            if (seenData && !isData) {
                return tail(b, at, dataEnd);
            }
            if (!validName(b, at + 4)) {
                throw corrupt("a chunk named " + printable(name) + " at byte " + at);
            }
            long end = at + 12 + length;
            if (isData) {
                seenData = true;
                if (end > b.length) {
                    return b; // truncated image data: the decoder refuses it, as PIL does
                }
                dataEnd = (int) end;
            } else {
                if (end > b.length) {
                    return b; // a header chunk cut short: the decoder refuses it
                }
                CRC32 crc = new CRC32();
                crc.update(b, at + 4, (int) length + 4);
                if (crc.getValue() != Bytes.u32(b, (int) (at + 8 + length), false)) {
                    throw corrupt("the " + printable(name) + " chunk's CRC does not match its contents");
                }
                if (name.equals("IEND")) {
                    return b;
                }
            }
            at = (int) end;
        }
    }

    /** After the image data: kept when every chunk is whole up to IEND, else cut at the data's end. */
    private static byte[] tail(byte[] b, int from, int dataEnd) {
        int at = from;
        while (at + 12 <= b.length) {
            long length = Bytes.u32(b, at, false);
            if (!validName(b, at + 4) || at + 12 + length > b.length) {
                return withEnd(b, dataEnd);
            }
            if (b[at + 4] == 'I' && b[at + 5] == 'E' && b[at + 6] == 'N' && b[at + 7] == 'D') {
                return b;
            }
            at = (int) (at + 12 + length);
        }
        return withEnd(b, dataEnd);
    }

    private static byte[] withEnd(byte[] b, int dataEnd) {
        byte[] out = java.util.Arrays.copyOf(b, dataEnd + IEND.length);
        System.arraycopy(IEND, 0, out, dataEnd, IEND.length);
        return out;
    }

    /** PIL's rule for a chunk name: four word characters ({@code [A-Za-z0-9_]}). */
    private static boolean validName(byte[] b, int at) {
        for (int i = at; i < at + 4; i++) {
            int c = b[i] & 0xFF;
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String name) {
        StringBuilder s = new StringBuilder("'");
        for (char c : name.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return s.append('\'').toString();
    }

    private static ArgusException corrupt(String what) {
        return ArgusException.invalidInput("The PNG is corrupt: " + what + ". Send an undamaged PNG file.");
    }
}
