package dev.argus.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams an infer request: everything but the inputs' {@code data} becomes a small JSON tree; {@code data} goes
 * straight into strings or a float array. A [32,3,224,224] FP32 batch is 4.8 million numbers, which as a Jackson tree
 * would take hundreds of MiB; as floats it takes 19 MiB.
 */
final class InferJson {

    /** The request without its data, and each input's data in input order. */
    record Parsed(ObjectNode root, List<TensorData> data) {
    }

    /** One input's {@code data}, flattened: strings and/or numbers, and the first element that is neither. */
    static final class TensorData {
        boolean present;
        final List<String> strings = new ArrayList<>();
        private float[] floats = new float[1024];
        private int count;
        String bad;

        void add(float f) {
            if (count == floats.length) {
                floats = Arrays.copyOf(floats, floats.length * 2);
            }
            floats[count++] = f;
        }

        int numberCount() {
            return count;
        }

        float[] floats() {
            return Arrays.copyOf(floats, count);
        }
    }

    private InferJson() {
    }

    static Parsed parse(byte[] body, int length) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw RestError.invalid("The infer request must be a JSON object with \"inputs\".");
            }
            ObjectNode root = Json.object();
            List<TensorData> data = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("inputs") && value == JsonToken.START_ARRAY) {
                    readInputs(p, root.putArray("inputs"), data);
                } else {
                    root.set(field, p.readValueAsTree());
                }
            }
            if (p.nextToken() != null) {
                throw RestError.invalid("The infer request has trailing content after the JSON object.");
            }
            return new Parsed(root, data);
        }
    }

    private static void readInputs(JsonParser p, ArrayNode inputs, List<TensorData> data) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            TensorData d = new TensorData();
            data.add(d);
            if (t != JsonToken.START_OBJECT) {
                inputs.add(p.<com.fasterxml.jackson.databind.JsonNode>readValueAsTree());
                continue;
            }
            ObjectNode input = inputs.addObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("data")) {
                    d.present = true;
                    readData(p, value, d);
                } else {
                    input.set(field, p.readValueAsTree());
                }
            }
        }
    }

    private static void readData(JsonParser p, JsonToken t, TensorData d) throws IOException {
        switch (t) {
            case START_ARRAY -> {
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    readData(p, e, d);
                }
            }
            case VALUE_STRING -> d.strings.add(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> d.add(p.getFloatValue());
            default -> {
                if (d.bad == null) {
                    d.bad = t == JsonToken.START_OBJECT ? "an object" : p.getText();
                }
                p.skipChildren();
            }
        }
    }
}
