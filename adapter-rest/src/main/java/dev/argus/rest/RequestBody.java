package dev.argus.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a request body without ever holding more than the limit, and tells JSON bodies from image files. */
final class RequestBody {
    private RequestBody() {
    }

    /**
     * Reads at most {@code limit} bytes. A declared Content-Length above the limit is refused before reading; a body
     * without one (chunked) is refused as soon as it passes the limit.
     */
    static byte[] read(InputStream in, long declaredLength, long limit) {
        if (declaredLength > limit) {
            throw RestError.tooLarge(limit);
        }
        int initial = declaredLength > 0 ? (int) declaredLength : 64 * 1024;
        ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
                if (total > limit) {
                    throw RestError.tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw RestError.invalid("The request body could not be read completely: " + e.getMessage());
        }
        return out.toByteArray();
    }

    /**
     * JSON if the content type says so, or if the body's first non-blank byte is {@code '{'}: no image format starts
     * with it (JPEG FF D8, PNG 89 'P', GIF 'G', BMP 'B', WebP 'R'), so a raw file is never taken for JSON.
     */
    static boolean isJson(String contentType, byte[] body) {
        if (contentType != null) {
            String ct = contentType.toLowerCase(Locale.ROOT);
            if (ct.startsWith("application/json") || ct.contains("+json")) {
                return true;
            }
        }
        for (byte b : body) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{';
        }
        return false;
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }
}
