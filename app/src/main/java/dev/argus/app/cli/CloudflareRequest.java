package dev.argus.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ImageInput;
import java.io.IOException;

/** Reads a Cloudflare JSON request body, {@code {"image": [137, 80, 78, 71, ...]}}, from a {@code .json} file. */
final class CloudflareRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudflareRequest() {
    }

    static ImageInput parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ArgusException.invalidInput("The JSON body is malformed: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ArgusException.invalidInput("The JSON body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.has("image")) {
            throw ArgusException.invalidInput("The JSON body must be an object with an \"image\" array of byte values 0..255.");
        }
        JsonNode image = root.get("image");
        if (!image.isArray()) {
            throw ArgusException.invalidInput("\"image\" must be an array of byte values 0..255, got " + image.getNodeType() + ".");
        }
        double[] values = new double[image.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode n = image.get(i);
            if (!n.isNumber()) {
                throw ArgusException.invalidInput("image[" + i + "] = " + n + " is not a number: each element must be an "
                        + "integer byte value 0..255.");
            }
            values[i] = n.doubleValue();
        }
        return ImageInput.ofNumbers(values);
    }
}
