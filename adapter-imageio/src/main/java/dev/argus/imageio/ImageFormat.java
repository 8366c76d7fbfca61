package dev.argus.imageio;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The formats accepted, recognised by their signature (never by a name or content type the caller claims). */
enum ImageFormat {
    JPEG, PNG, GIF, BMP, WEBP;

    static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP";

    static Optional<ImageFormat> detect(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(b, 0, 'B', 'M') && b.length >= 26) {
            return Optional.of(BMP);
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** What the first bytes of an unrecognised input look like, for the error message. */
    static String describeStart(byte[] b) {
        int n = Math.min(b.length, 16);
        StringBuilder hex = new StringBuilder();
        boolean printable = n > 0;
        for (int i = 0; i < n; i++) {
            int v = b[i] & 0xFF;
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", v));
            printable &= v == '\t' || v == '\n' || v == '\r' || (v >= 0x20 && v < 0x7F);
        }
        String guess = guess(b, printable, n);
        return hex + (guess.isEmpty() ? "" : " (" + guess + ")");
    }

    private static String guess(byte[] b, boolean printable, int n) {
        String start = new String(b, 0, n, StandardCharsets.ISO_8859_1).stripLeading();
        if (startsWith(b, 0, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return "a TIFF image, which is not supported";
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return "an ISO media file such as HEIC or AVIF, which is not supported";
        }
        if (startsWith(b, 0, 'P', 'K', 3, 4)) {
            return "a ZIP archive";
        }
        if (start.startsWith("<")) {
            return "text: HTML, XML or SVG";
        }
        if (start.startsWith("{") || start.startsWith("[")) {
            return "text: JSON";
        }
        if (printable) {
            String text = start.length() > 12 ? start.substring(0, 12) + "..." : start;
            return "text: \"" + text.replaceAll("[\\r\\n\\t]", " ") + "\"";
        }
        return "";
    }

    private static boolean startsWith(byte[] b, int at, int... signature) {
        if (b.length < at + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((b[at + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
