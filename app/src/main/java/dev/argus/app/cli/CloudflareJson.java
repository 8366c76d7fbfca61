package dev.argus.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ErrorCode;
import java.util.List;

/** Writes results the way Cloudflare Workers AI does: {@code {"result":[{"label","score"}],"success":true,...}}. */
final class CloudflareJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudflareJson() {
    }

    static ArrayNode result(List<Classification> classes) {
        ArrayNode arr = JSON.createArrayNode();
        for (Classification c : classes) {
            arr.addObject().put("label", c.label()).put("score", c.score());
        }
        return arr;
    }

    static ObjectNode success(ClassificationResult r) {
        ObjectNode env = JSON.createObjectNode();
        env.set("result", result(r.classifications()));
        env.put("success", true);
        env.putArray("errors");
        env.putArray("messages");
        return env;
    }

    static ObjectNode failure(ErrorCode code, String message) {
        ObjectNode env = JSON.createObjectNode();
        env.putNull("result");
        env.put("success", false);
        env.putArray("errors").addObject().put("code", cloudflareCode(code)).put("message", message);
        env.putArray("messages");
        return env;
    }

    /** Cloudflare's numeric error codes (see docs/reference.md, "Error codes") for Argus's error codes. */
    static int cloudflareCode(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> 5006;
            case INPUT_TOO_LARGE -> 3006;
            case OVERLOADED -> 3040;
            case TIMEOUT -> 3007;
            case MODEL_UNAVAILABLE, CONFIGURATION -> 5007;
            case INFERENCE_FAILED, REMOTE_FAILURE -> 3043;
        };
    }

    static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
