package dev.argus.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The part of a model path after {@code /v2/models/} (Open Inference Protocol) or {@code /v1/models/}: model name
 * (which may contain '/', literally or as {@code %2F}), optional {@code /versions/{v}}, and the action ({@code infer},
 * {@code ready}, {@code config}, {@code stats}, {@code classify}, or none for metadata).
 */
record ModelPath(String model, String version, String action) {

    static ModelPath parse(String rawRest) {
        String rest = rawRest.endsWith("/") ? rawRest.substring(0, rawRest.length() - 1) : rawRest;
        String action = "";
        for (String a : new String[] {"infer", "ready", "config", "stats", "classify"}) {
            if (rest.endsWith("/" + a)) {
                action = a;
                rest = rest.substring(0, rest.length() - a.length() - 1);
                break;
            }
        }
        String version = "";
        int v = rest.lastIndexOf("/versions/");
        if (v > 0 && rest.indexOf('/', v + "/versions/".length()) < 0) {
            version = decode(rest.substring(v + "/versions/".length()));
            rest = rest.substring(0, v);
        }
        return new ModelPath(decode(rest), version, action);
    }

    /** Does this name the served model? Its full name, or its short alias (after the last '/'), any case. */
    boolean names(String served) {
        String m = model.toLowerCase(Locale.ROOT);
        String s = served.toLowerCase(Locale.ROOT);
        return m.equals(s) || m.equals(s.substring(s.lastIndexOf('/') + 1));
    }

    /** Percent-decoding of a path (no '+' for space, unlike form decoding). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
