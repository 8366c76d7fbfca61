package dev.argus.modelhub;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses an HTML page where a file was expected: what a captive portal, a proxy's sign-in page or an error page served
 * with 200 sends in the Hub's place. Known by its Content-Type, or by its first bytes ({@code <!DOCTYPE html},
 * {@code <html}). A file whose own name says it is a web page ({@code .html}, {@code .htm}, {@code .xhtml}) may be one.
 */
final class WebPageCheck {
    private static final int SNIFF_BYTES = 1024;
    private static final Pattern PAGE_NAME = Pattern.compile("(?i).*\\.x?html?");
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

    private WebPageCheck() {
    }

    /** Fails when the response says it is HTML (a HEAD's answer: there is no body to look at). */
    static void refuseHtmlType(URI requested, HttpResponse<?> response) throws HubFailure {
        if (!PAGE_NAME.matcher(requested.getPath()).matches() && htmlType(response)) {
            throw HubFailure.webPage(response.uri(), response.statusCode(), "an HTML page (" + type(response) + ")");
        }
    }

    /**
     * Fails when the response is HTML by its Content-Type or, when it starts at the file's first byte, by its first
     * bytes. Otherwise returns the body with nothing consumed.
     */
    static InputStream refuseHtml(URI requested, HttpResponse<?> response, InputStream body, boolean fromStart)
            throws HubFailure {
        if (PAGE_NAME.matcher(requested.getPath()).matches()) {
            return body;
        }
        byte[] head;
        try {
            head = fromStart ? body.readNBytes(SNIFF_BYTES) : new byte[0];
        } catch (IOException e) {
            throw HubFailure.io(response.uri(), e);
        }
        String start = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "").strip();
        String lower = start.toLowerCase(Locale.ROOT);
        if (htmlType(response) || lower.startsWith("<!doctype html") || lower.startsWith("<html")) {
            throw HubFailure.webPage(response.uri(), response.statusCode(), "an HTML page (" + type(response)
                    + describe(start) + ")");
        }
        return new SequenceInputStream(new ByteArrayInputStream(head), body);
    }

    private static boolean htmlType(HttpResponse<?> response) {
        String media = response.headers().firstValue("Content-Type").orElse("").split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
        return media.equals("text/html") || media.equals("application/xhtml+xml");
    }

    private static String type(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").map(t -> "Content-Type " + clean(t, 100))
                .orElse("no Content-Type");
    }

    /** {@code , title '...'} or {@code , beginning '...'}; empty when there was nothing to read. */
    private static String describe(String start) {
        if (start.isEmpty()) {
            return "";
        }
        Matcher title = TITLE.matcher(start);
        return title.find() && !title.group(1).isBlank() ? ", title '" + clean(title.group(1), 80) + "'"
                : ", beginning '" + clean(start, 60) + "'";
    }

    private static String clean(String s, int max) {
        String one = s.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return one.length() > max ? one.substring(0, max) + "..." : one;
    }
}
