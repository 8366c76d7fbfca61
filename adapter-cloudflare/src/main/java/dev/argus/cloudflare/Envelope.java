package dev.argus.cloudflare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cloudflare's REST envelope: {@code {"result": ..., "success": bool, "errors": [{"code", "message"}], "messages": []}}.
 * On errors {@code result} may be {@code null}, {@code {}} or absent; only a successful answer must carry a list.
 *
 * @param success what {@code success} says (absent = true when a result list is present)
 * @param result  the {@code [{"label", "score"}]} list, when {@code result} is one
 * @param errors  the {@code errors} entries, possibly empty
 */
record Envelope(boolean success, Optional<List<Entry>> result, List<ApiError> errors) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One {@code {"label", "score"}} of the result. */
    record Entry(String label, double score) {
    }

    /** One {@code {"code", "message"}} of {@code errors}; code 0 when absent. */
    record ApiError(int code, String message) {
        @Override
        public String toString() {
            return (code == 0 ? "" : "code " + code + ": ") + message;
        }
    }

    /** The body could not be read as Cloudflare's envelope. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The first error, when there is one. */
    Optional<ApiError> firstError() {
        return errors.isEmpty() ? Optional.empty() : Optional.of(errors.get(0));
    }

    /** Parses any answer; error answers need not carry a result. */
    static Envelope parse(byte[] body) throws Malformed {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Malformed("the body is not JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new Malformed("the body could not be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("the body is not a JSON object");
        }
        Optional<List<Entry>> result = root.path("result").isArray()
                ? Optional.of(entries(root.path("result"))) : Optional.empty();
        JsonNode success = root.path("success");
        if (!success.isMissingNode() && !success.isBoolean()) {
            throw new Malformed("'success' is not a boolean");
        }
        return new Envelope(success.isMissingNode() ? result.isPresent() : success.asBoolean(), result,
                errors(root.path("errors")));
    }

    private static List<Entry> entries(JsonNode array) throws Malformed {
        List<Entry> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            JsonNode label = e.path("label");
            JsonNode score = e.path("score");
            if (!label.isTextual() || label.asText().isBlank()) {
                throw new Malformed("result[" + i + "] has no label");
            }
            if (!score.isNumber() || !Double.isFinite(score.asDouble())) {
                throw new Malformed("result[" + i + "] has no numeric score");
            }
            out.add(new Entry(label.asText(), score.asDouble()));
        }
        return out;
    }

    private static List<ApiError> errors(JsonNode array) {
        List<ApiError> out = new ArrayList<>();
        if (!array.isArray()) {
            return out;
        }
        for (JsonNode e : array) {
            int code = e.path("code").canConvertToInt() ? e.path("code").asInt() : 0;
            String message = e.path("message").isTextual() ? e.path("message").asText() : e.toString();
            out.add(new ApiError(code, message.strip()));
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
