package dev.argus.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578) over a request {@link Body}'s chunks: parts are counted as
 * they are met and the one after the limit is refused before its bytes are kept; each part's bytes are kept only up to
 * the image size limit, and reserved in the body's memory as they are. Javalin's {@code uploadedFiles()} (Jetty's
 * {@code MultiPartFormInputStream}) builds every part before the application can count them, so a 64 MiB body of a
 * million empty parts was a million objects first.
 */
final class Multipart {
    /** Header block of one part, at most (a Content-Disposition and a Content-Type fit in far less). */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** A form field's value, at most ({@code top_k}, {@code label_style}). */
    static final int MAX_FIELD_BYTES = 1024;
    /** Form fields besides the files, at most. */
    static final int MAX_FIELDS = 16;

    /** One part: a file (with a file name, possibly empty) or a form field. */
    record Part(String name, String filename, byte[] content) {
        boolean isFile() {
            return filename != null;
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    /** The {@code boundary} parameter of a multipart content type. */
    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70) {
                    break;
                }
                return b;
            }
        }
        throw RestError.invalid("The multipart body has no usable boundary in its Content-Type (1..70 characters).");
    }

    /** Parses the parts; more than {@code maxFiles} files, or a file over {@code maxFileBytes}, are refused. */
    static List<Part> parse(String contentType, Body body, int maxFiles, long maxFileBytes) {
        byte[] delimiter = ("\r\n--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        Scanner in = new Scanner(body, delimiter);
        List<Part> parts = new ArrayList<>();
        int files = 0;
        int fields = 0;
        if (!in.scanTo(null)) {
            throw RestError.invalid("The multipart body has no part: its boundary never occurs.");
        }
        while (true) {
            int a = in.read();
            int b = in.read();
            if (a == '-' && b == '-') {
                return parts; // the close delimiter; an epilogue is ignored
            }
            while (a == ' ' || a == '\t') { // transport padding
                a = b;
                b = in.read();
            }
            if (a != '\r' || b != '\n') {
                throw RestError.invalid("The multipart body is malformed: a boundary is not followed by a line break.");
            }
            Headers h = Headers.read(in);
            boolean file = h.filename != null;
            if (file && ++files > maxFiles) {
                throw RestError.invalid("The request has more than " + maxFiles + " files; the limit is " + maxFiles
                        + " per request (argus.rest.max-images-per-request).");
            }
            if (!file && ++fields > MAX_FIELDS) {
                throw RestError.invalid("The multipart body has more than " + MAX_FIELDS + " form fields besides its files.");
            }
            Sink content = new Sink(body, file ? maxFileBytes : MAX_FIELD_BYTES, h.describe());
            if (!in.scanTo(content)) {
                throw RestError.invalid("The multipart body is cut off: part " + h.describe() + " has no closing boundary.");
            }
            parts.add(new Part(h.name, h.filename, content.bytes()));
        }
    }

    /** The Content-Disposition of one part. */
    private record Headers(String name, String filename) {
        static Headers read(Scanner in) {
            StringBuilder line = new StringBuilder();
            String name = null;
            String filename = null;
            int total = 0;
            for (int c = in.read(); ; c = in.read()) {
                if (c < 0) {
                    throw RestError.invalid("The multipart body is cut off inside a part's headers.");
                }
                if (++total > MAX_HEADER_BYTES) {
                    throw RestError.invalid("A multipart part's headers exceed " + MAX_HEADER_BYTES + " bytes.");
                }
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                String l = line.toString().strip();
                line.setLength(0);
                if (l.isEmpty()) {
                    break;
                }
                if (l.regionMatches(true, 0, "content-disposition:", 0, 20)) {
                    name = param(l, "name");
                    filename = param(l, "filename");
                }
            }
            return new Headers(name == null ? "" : name, filename);
        }

        private static String param(String header, String key) {
            for (String p : header.substring(header.indexOf(':') + 1).split(";")) {
                String t = p.trim();
                int eq = t.indexOf('=');
                if (eq > 0 && t.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals(key)) {
                    String v = t.substring(eq + 1).trim();
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
            return null;
        }

        String describe() {
            return filename != null ? "'" + filename + "'" : "'" + name + "'";
        }
    }

    /** Where a part's content goes: chunks reserved in the body's memory, up to a limit. */
    private static final class Sink {
        private final Body body;
        private final long limit;
        private final String what;
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] current;
        private int filled;
        private long size;

        Sink(Body body, long limit, String what) {
            this.body = body;
            this.limit = limit;
            this.what = what;
        }

        void write(int b) {
            if (size == limit) {
                throw RestError.of(dev.argus.domain.ErrorCode.INPUT_TOO_LARGE, "Multipart part " + what + " holds more than "
                        + limit + " bytes" + (limit == MAX_FIELD_BYTES ? " (a form field)" : ", the largest image accepted "
                        + "(argus.limits.max-bytes)") + ".");
            }
            if (current == null || filled == current.length) {
                int n = (int) Math.min(Body.CHUNK, limit - size);
                body.reserve(n);
                current = new byte[n];
                chunks.add(current);
                filled = 0;
            }
            current[filled++] = (byte) b;
            size++;
        }

        void write(byte[] b, int from, int n) {
            for (int i = 0; i < n; i++) {
                write(b[from + i]);
            }
        }

        /** The content in one array; the chunks it was collected in give their reservation back. */
        byte[] bytes() {
            body.reserve(size);
            byte[] out = Body.join(chunks, size);
            body.release((long) chunks.stream().mapToInt(c -> c.length).sum());
            chunks.clear();
            return out;
        }
    }

    /** Reads the body's chunks byte by byte and finds the delimiter (Knuth-Morris-Pratt), passing what precedes it on. */
    private static final class Scanner {
        private final List<byte[]> chunks;
        private long left;
        private int chunk;
        private int at;
        private final byte[] delimiter;
        private final int[] failure;
        private int prefix; // the virtual CRLF before the first boundary, which may begin the body

        Scanner(Body body, byte[] delimiter) {
            this.chunks = body.chunks();
            this.left = body.size();
            this.delimiter = delimiter;
            this.failure = new int[delimiter.length];
            for (int i = 1, k = 0; i < delimiter.length; i++) {
                while (k > 0 && delimiter[i] != delimiter[k]) {
                    k = failure[k - 1];
                }
                if (delimiter[i] == delimiter[k]) {
                    k++;
                }
                failure[i] = k;
            }
        }

        int read() {
            if (prefix < 2) {
                return prefix++ == 0 ? '\r' : '\n';
            }
            if (left == 0) {
                return -1;
            }
            if (at == chunks.get(chunk).length) {
                chunk++;
                at = 0;
            }
            left--;
            return chunks.get(chunk)[at++] & 0xFF;
        }

        /** Reads up to and including the next delimiter; true when found. {@code sink} null discards. */
        boolean scanTo(Sink sink) {
            int j = 0;
            for (int b = read(); b >= 0; b = read()) {
                while (j > 0 && b != (delimiter[j] & 0xFF)) {
                    int k = failure[j - 1];
                    if (sink != null) {
                        sink.write(delimiter, 0, j - k);
                    }
                    j = k;
                }
                if (b == (delimiter[j] & 0xFF)) {
                    if (++j == delimiter.length) {
                        return true;
                    }
                } else if (sink != null) {
                    sink.write(b);
                }
            }
            return false;
        }
    }
}
