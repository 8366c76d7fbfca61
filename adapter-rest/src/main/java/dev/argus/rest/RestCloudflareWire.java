package dev.argus.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import java.util.List;

/**
 * Cloudflare Workers AI's wire format for {@code @cf/microsoft/resnet-50}, the one copy of it: the request body
 * ({@code {"image": [137, 80, ...]}}), the envelope around every answer, the result, and the mapping of Argus's error
 * codes to Cloudflare's codes and HTTP statuses (docs/reference.md, "Error codes"). The REST routes write through it,
 * and so does {@code argus classify}, whose output is the body the server would send.
 */
public final class RestCloudflareWire {
    private RestCloudflareWire() {
    }

    /** What an error with a domain code is on the wire: its HTTP status and Cloudflare's numeric code. */
    public record Status(int http, int code) {
    }

    /** The one mapping of domain error codes to HTTP statuses and Cloudflare codes. */
    public static Status status(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT -> new Status(400, 5006);
            case INPUT_TOO_LARGE -> new Status(413, 3006);
            case OVERLOADED -> new Status(429, 3040);
            case TIMEOUT -> new Status(408, 3007);
            case MODEL_UNAVAILABLE -> new Status(503, 5007);
            case INFERENCE_FAILED, CONFIGURATION -> new Status(500, 3043);
            case REMOTE_FAILURE -> new Status(502, 3043);
        };
    }

    /** {@code {"result": ..., "success": true, "errors": [], "messages": []}}, in that field order. */
    public static ObjectNode success(JsonNode result) {
        ObjectNode env = Json.object();
        env.set("result", result);
        env.put("success", true);
        env.putArray("errors");
        env.putArray("messages");
        return env;
    }

    /** {@code {"result": null, "success": false, "errors": [{"code", "message"}], "messages": []}}. */
    public static ObjectNode failure(int code, String message) {
        ObjectNode env = Json.object();
        env.putNull("result");
        env.put("success", false);
        env.putArray("errors").addObject().put("code", code).put("message", message);
        env.putArray("messages");
        return env;
    }

    /** Cloudflare's result: {@code [{"label", "score"}]}, best first. */
    public static ArrayNode result(List<Classification> classes) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Classification c : classes) {
            arr.addObject().put("label", c.label()).put("score", c.score());
        }
        return arr;
    }

    /**
     * A request body in Cloudflare's JSON form, parsed as the server parses it: streamed, each element checked as it
     * is read, the image's bytes stopping at {@code maxImageBytes}.
     *
     * @throws ArgusException {@code INVALID_INPUT} or {@code INPUT_TOO_LARGE}, saying what was wrong and where
     */
    public static ImageInput parseRequest(byte[] body, long maxImageBytes) {
        try (Body b = Body.of(body)) {
            return ImageJson.parseCloudflare(b, maxImageBytes);
        } catch (RestError e) {
            throw new ArgusException(e.code().orElse(ErrorCode.INVALID_INPUT), e.getMessage());
        }
    }

    /** The JSON text of a node, on one line. */
    public static String write(JsonNode node) {
        return new String(Json.bytes(node), java.nio.charset.StandardCharsets.UTF_8);
    }
}
