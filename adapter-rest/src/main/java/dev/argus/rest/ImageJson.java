package dev.argus.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.argus.domain.ImageInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Streams a JSON request body into images without building a tree: a 10 MiB image as Cloudflare's number array is
 * ten million numbers, which as a Jackson tree would take hundreds of MiB. Limits are checked as elements are parsed,
 * never after: the image after the last one allowed is refused before it is built, an image's bytes stop at the image
 * size limit, and the bytes images take are reserved in the request's {@link Body}.
 *
 * <p>Accepted members: {@code image} (an array of byte values 0..255, or, where allowed, a base64 string, optionally
 * a {@code data:} URL), {@code images} (an array of those; batch), {@code top_k} (integer), {@code label_style}
 * (string). Other members are ignored.
 */
final class ImageJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** What a JSON body asked for. {@code topK}/{@code labelStyle} are null when absent. */
    record Request(List<ImageInput> images, boolean batch, Integer topK, String labelStyle) {
    }

    private ImageJson() {
    }

    /** How much one request may hold: images, and bytes per image. */
    record Limits(int maxImages, long maxImageBytes) {
    }

    /** Cloudflare's form: {@code {"image": [137, 80, ...]}}, the array only. */
    static ImageInput parseCloudflare(Body body, long maxImageBytes) {
        Request r = parse(body, false, new Limits(1, maxImageBytes));
        if (r.batch() || r.images().isEmpty()) {
            throw RestError.invalid("The JSON body must be an object with an \"image\" array of byte values 0..255.");
        }
        return r.images().get(0);
    }

    /** The {@code /v1/classify} form: {@code image} or {@code images}, arrays or base64 strings, plus options. */
    static Request parseV1(Body body, Limits limits) {
        Request r = parse(body, true, limits);
        if (r.images().isEmpty() && !r.batch()) {
            throw RestError.invalid("The JSON body must have \"image\" (base64 string or array of byte values 0..255) "
                    + "or \"images\" (an array of those).");
        }
        if (r.batch() && r.images().isEmpty()) {
            throw RestError.invalid("\"images\" is empty: send at least one image.");
        }
        return r;
    }

    private static Request parse(Body body, boolean allowBase64, Limits limits) {
        try (JsonParser p = FACTORY.createParser(body.stream())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw RestError.invalid("The JSON body must be an object, e.g. {\"image\": [137, 80, 78, 71, ...]}.");
            }
            List<ImageInput> images = new ArrayList<>();
            boolean batch = false;
            Integer topK = null;
            String labelStyle = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "image" -> {
                        images.clear();
                        images.add(image(p, value, "image", allowBase64, body, limits));
                    }
                    case "images" -> {
                        if (!allowBase64) {
                            p.skipChildren();
                            continue;
                        }
                        if (value != JsonToken.START_ARRAY) {
                            throw RestError.invalid("\"images\" must be an array of images.");
                        }
                        batch = true;
                        images.clear();
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            if (images.size() == limits.maxImages()) {
                                throw RestError.invalid("\"images\" has more than " + limits.maxImages() + " images; the limit "
                                        + "is " + limits.maxImages() + " per request (argus.rest.max-images-per-request).");
                            }
                            images.add(image(p, t, "images[" + images.size() + "]", true, body, limits));
                        }
                    }
                    case "top_k" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw RestError.invalid("\"top_k\" must be an integer 1..1000.");
                        }
                        long k = p.getLongValue();
                        topK = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, k));
                    }
                    case "label_style" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw RestError.invalid("\"label_style\" must be \"cloudflare\" or \"imagenet\".");
                        }
                        labelStyle = p.getText();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw RestError.invalid("The JSON body has trailing content after the object.");
            }
            return new Request(List.copyOf(images), batch, topK, labelStyle);
        } catch (JsonProcessingException e) {
            throw RestError.invalid("The JSON body is malformed: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RestError.invalid("The JSON body cannot be read: " + e.getMessage());
        }
    }

    private static ImageInput image(JsonParser p, JsonToken value, String name, boolean allowBase64, Body body,
                                    Limits limits) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            return numbers(p, name, body, limits.maxImageBytes());
        }
        if (value == JsonToken.VALUE_STRING && allowBase64) {
            int chars = p.getTextLength();
            if (chars > Base64Image.maxChars(limits.maxImageBytes())) {
                throw tooLarge(name, limits.maxImageBytes());
            }
            body.reserve(2L * chars + chars / 4 * 3); // the string, and the bytes it decodes to
            return ImageInput.of(Base64Image.decode(p.getText(), name));
        }
        p.skipChildren();
        throw RestError.invalid("\"" + name + "\" must be " + (allowBase64 ? "a base64 string or " : "")
                + "an array of byte values 0..255, got " + describe(value) + ".");
    }

    private static RestError tooLarge(String name, long maxImageBytes) {
        return RestError.of(dev.argus.domain.ErrorCode.INPUT_TOO_LARGE, "\"" + name + "\" holds more than " + maxImageBytes
                + " bytes, the largest image accepted (argus.limits.max-bytes).");
    }

    /**
     * Reads the array into bytes, checking each element as {@link ImageInput.Numbers} does, and the count against the
     * image size limit as it goes. The buffer grows as elements arrive (from 256 bytes), each growth reserved first.
     */
    private static ImageInput numbers(JsonParser p, String name, Body body, long maxImageBytes) throws IOException {
        byte[] out = new byte[256];
        body.reserve(out.length);
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw RestError.invalid(name + "[" + n + "] = " + p.getText() + " is not a number: each element must be "
                        + "an integer byte value 0..255.");
            }
            double v = p.getValueAsDouble();
            String why = Double.isInfinite(v) ? "is beyond any number a double can hold"
                    : v != Math.rint(v) ? "is not an integer"
                    : v < 0 ? "is negative" : v > 255 ? "is above 255" : null;
            if (why != null) {
                throw RestError.invalid(name + "[" + n + "] = " + p.getText() + " " + why
                        + ": each element must be an integer byte value 0..255.");
            }
            if (n == maxImageBytes) {
                throw tooLarge(name, maxImageBytes);
            }
            if (n == out.length) {
                int grown = (int) Math.min(maxImageBytes, (long) out.length * 2);
                body.reserve(grown);
                out = java.util.Arrays.copyOf(out, grown);
            }
            out[n++] = (byte) (int) v;
        }
        if (n == 0) {
            throw RestError.invalid("The \"" + name + "\" array is empty: send the bytes of an image file as integers 0..255.");
        }
        if (n == out.length) {
            return ImageInput.of(out);
        }
        body.reserve(n);
        return ImageInput.of(java.util.Arrays.copyOf(out, n));
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }

    /** Base64 (standard or URL-safe, optionally a {@code data:...;base64,} URL) to bytes. */
    static final class Base64Image {
        private Base64Image() {
        }

        /** The most characters the base64 of an image of {@code maxBytes} can take, with room for a data: URL prefix. */
        static long maxChars(long maxBytes) {
            return 4 * ((maxBytes + 2) / 3) + 256;
        }

        static byte[] decode(String text, String name) {
            String s = text.strip();
            if (s.startsWith("data:")) {
                int comma = s.indexOf(',');
                if (comma < 0 || !s.substring(0, comma).endsWith(";base64")) {
                    throw RestError.invalid("\"" + name + "\" is a data URL without ';base64,'.");
                }
                s = s.substring(comma + 1);
            }
            if (s.isEmpty()) {
                throw RestError.invalid("\"" + name + "\" is empty: send the image file as base64.");
            }
            try {
                return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw RestError.invalid("\"" + name + "\" is not valid base64: " + e.getMessage());
            }
        }
    }
}
