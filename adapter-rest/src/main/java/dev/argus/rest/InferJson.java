package dev.argus.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams an infer request: everything but the inputs' {@code data} becomes a small JSON tree; {@code data} goes
 * straight into strings or a float array. A [32,3,224,224] FP32 batch is 4.8 million numbers, which as a Jackson tree
 * would take hundreds of MiB; as floats it takes 19 MiB. Every count is checked as it is parsed, against
 * {@link Limits}: the element after the last one allowed is refused before it is built, and so is a tree (e.g.
 * {@code parameters}) with more nodes than any real request has.
 */
final class InferJson {

    /**
     * @param maxStrings  BYTES elements (images) in all inputs: {@code max_batch_size}
     * @param maxNumbers  FP32 elements in all inputs: {@code max_batch_size} x the model's values per image (0 when
     *                    FP32 input is not served)
     * @param maxStringChars characters of one BYTES element (the base64 of the largest image)
     */
    record Limits(int maxStrings, long maxNumbers, long maxStringChars) {
        /** JSON nodes outside {@code data}, in all (names, shapes, parameters, outputs): a real request has a few dozen. */
        static final int MAX_TREE_NODES = 4096;
        /** Inputs in one request (one is served; a few more are named in the error). */
        static final int MAX_INPUTS = 8;
    }

    /** The request without its data, and each input's data in input order. */
    record Parsed(ObjectNode root, List<TensorData> data) {
    }

    /** One input's {@code data}, flattened: strings and/or numbers, and the first element that is neither. */
    static final class TensorData {
        boolean present;
        final List<String> strings = new ArrayList<>();
        private float[] floats = new float[0];
        private int count;
        String bad;

        int numberCount() {
            return count;
        }

        float[] floats() {
            return count == floats.length ? floats : Arrays.copyOf(floats, count);
        }
    }

    private final JsonParser p;
    private final Limits limits;
    private final Body body;
    private int treeNodes;
    private int strings;
    private long numbers;

    private InferJson(JsonParser p, Limits limits, Body body) {
        this.p = p;
        this.limits = limits;
        this.body = body;
    }

    static Parsed parse(InputStream json, Limits limits, Body body) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            return new InferJson(p, limits, body).parse();
        }
    }

    private Parsed parse() throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw RestError.invalid("The infer request must be a JSON object with \"inputs\".");
        }
        ObjectNode root = Json.object();
        List<TensorData> data = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("inputs") && value == JsonToken.START_ARRAY) {
                readInputs(root.putArray("inputs"), data);
            } else {
                root.set(field, tree(value));
            }
        }
        if (p.nextToken() != null) {
            throw RestError.invalid("The infer request has trailing content after the JSON object.");
        }
        return new Parsed(root, data);
    }

    private void readInputs(ArrayNode inputs, List<TensorData> data) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (data.size() == Limits.MAX_INPUTS) {
                throw RestError.invalid("The infer request has more than " + Limits.MAX_INPUTS + " inputs; this model takes one.");
            }
            TensorData d = new TensorData();
            data.add(d);
            if (t != JsonToken.START_OBJECT) {
                inputs.add(tree(t));
                continue;
            }
            ObjectNode input = inputs.addObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("data")) {
                    d.present = true;
                    readData(value, d);
                } else {
                    input.set(field, tree(value));
                }
            }
        }
    }

    private void readData(JsonToken t, TensorData d) throws IOException {
        switch (t) {
            case START_ARRAY -> {
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    readData(e, d);
                }
            }
            case VALUE_STRING -> {
                if (++strings > limits.maxStrings()) {
                    throw RestError.invalid("The input data has more than " + limits.maxStrings() + " BYTES elements; the "
                            + "limit (max_batch_size) is " + limits.maxStrings() + " images per request.");
                }
                if (p.getTextLength() > limits.maxStringChars()) {
                    throw RestError.of(ErrorCode.INPUT_TOO_LARGE, "BYTES element " + (strings - 1) + " has " + p.getTextLength()
                            + " characters, more than the base64 of the largest image accepted (argus.limits.max-bytes).");
                }
                body.reserve(2L * p.getTextLength());
                d.strings.add(p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> addNumber(d, p.getFloatValue());
            default -> {
                if (d.bad == null) {
                    d.bad = t == JsonToken.START_OBJECT ? "an object" : p.getText();
                }
                p.skipChildren();
            }
        }
    }

    private void addNumber(TensorData d, float f) {
        if (++numbers > limits.maxNumbers()) {
            throw RestError.invalid(limits.maxNumbers() == 0
                    ? "This server accepts BYTES inputs only (encoded image files); FP32 tensor input is not enabled."
                    : "The input data has more than " + limits.maxNumbers() + " numbers: at most max_batch_size images of "
                      + "the model's input size per request.");
        }
        if (d.count == d.floats.length) {
            int grown = (int) Math.min(limits.maxNumbers(), Math.max(1024L, 2L * d.floats.length));
            body.reserve(4L * grown);
            d.floats = Arrays.copyOf(d.floats, grown);
        }
        d.floats[d.count++] = f;
    }

    /** The value starting at {@code t} as a tree, counting its nodes against {@link Limits#MAX_TREE_NODES}. */
    private JsonNode tree(JsonToken t) throws IOException {
        if (++treeNodes > Limits.MAX_TREE_NODES) {
            throw RestError.invalid("The infer request has more than " + Limits.MAX_TREE_NODES + " JSON values outside "
                    + "the inputs' data; a request needs a few dozen.");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, tree(p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(tree(e));
                }
                yield a;
            }
            case VALUE_STRING -> {
                body.reserve(2L * p.getTextLength());
                yield f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? f.numberNode(p.getBigIntegerValue())
                    : f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> f.booleanNode(true);
            case VALUE_FALSE -> f.booleanNode(false);
            default -> f.nullNode();
        };
    }
}
