package dev.argus.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.Timings;

/** The JSON this server writes besides Cloudflare's envelope ({@link RestCloudflareWire}): the bodies of {@code /v1}. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The {@code /v1/classify} form of one result: predictions with class indices, backend, model, timings. */
    static ObjectNode v1Result(ClassificationResult r) {
        ObjectNode o = object();
        ArrayNode preds = o.putArray("predictions");
        for (Classification c : r.classifications()) {
            preds.addObject().put("label", c.label()).put("score", c.score()).put("class_index", c.classIndex());
        }
        o.put("backend", r.backend());
        o.put("model", r.model());
        o.set("timings_ms", timings(r.timings()));
        return o;
    }

    static ObjectNode timings(Timings t) {
        ObjectNode o = object();
        o.put("decode", ms(t.decodeNanos()));
        o.put("inference", ms(t.inferenceNanos()));
        o.put("postprocess", ms(t.postprocessNanos()));
        o.put("total", ms(t.totalNanos()));
        return o;
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
