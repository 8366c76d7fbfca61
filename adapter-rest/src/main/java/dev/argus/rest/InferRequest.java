package dev.argus.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.in.ClassifyImageUseCase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One Open Inference Protocol infer request, with exactly one input:
 * <ul>
 * <li>{@code BYTES} (any name, conventionally {@code image}), shape {@code [N]} or {@code [N,1]}: N encoded image
 * files. In JSON each element is a string: base64 (input parameter {@code content_type: "base64"}), a plain string
 * whose characters are the bytes ({@code content_type: "str"}, characters 0..255), or, without {@code content_type},
 * base64 if it decodes as such, else plain. With the binary tensor extension ({@code Inference-Header-Content-Length}
 * and {@code binary_data_size}) each element is a 4-byte little-endian length and the bytes. Output
 * {@code classification}: BYTES {@code [N, k]} of Triton's {@code "score:index:label"} strings (score = softmax
 * probability; k from the output parameter {@code classification}, else the request parameter {@code top_k}, else 5;
 * label style from the request parameter {@code label_style}, default Cloudflare's).</li>
 * <li>{@code FP32} {@code [N,3,H,W]} (the model's layout): a preprocessed batch, JSON (flat or nested) or binary
 * little-endian. Output {@code logits}: FP32 {@code [N, classes]}. Needs {@link RawTensorInference}.</li>
 * </ul>
 */
final class InferRequest {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String IMAGE_INPUT = "image";
    static final String TENSOR_INPUT = "pixel_values";
    static final String CLASSIFICATION_OUTPUT = "classification";
    static final String LOGITS_OUTPUT = "logits";

    private final String id;
    private final List<ImageInput> images;
    private final float[] tensor;
    private final long[] shape;
    private final ClassifyOptions options;

    private InferRequest(String id, List<ImageInput> images, float[] tensor, long[] shape, ClassifyOptions options) {
        this.id = id;
        this.images = images;
        this.tensor = tensor;
        this.shape = shape;
        this.options = options;
    }

    String id() {
        return id;
    }

    int batchSize() {
        return images != null ? images.size() : (int) shape[0];
    }

    static InferRequest parse(byte[] body, String headerLength) {
        int jsonLength = body.length;
        if (headerLength != null) {
            try {
                jsonLength = Integer.parseInt(headerLength.trim());
            } catch (NumberFormatException e) {
                jsonLength = -1;
            }
            if (jsonLength < 0 || jsonLength > body.length) {
                throw RestError.invalid(HEADER_LENGTH + " must be 0.." + body.length + ", got '" + headerLength + "'.");
            }
        }
        InferJson.Parsed parsed;
        try {
            parsed = InferJson.parse(body, jsonLength);
        } catch (JsonProcessingException e) {
            throw RestError.invalid("The infer request is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RestError.invalid("The infer request cannot be read: " + e.getMessage());
        }
        ObjectNode root = parsed.root();
        JsonNode inputs = root.path("inputs");
        if (!inputs.isArray() || inputs.size() != 1) {
            throw RestError.invalid("The infer request must have exactly one input: BYTES '" + IMAGE_INPUT
                    + "' (encoded images) or FP32 '" + TENSOR_INPUT + "' (a preprocessed batch).");
        }
        InferJson.TensorData tensorData = parsed.data().get(0);
        JsonNode input = inputs.get(0);
        String name = input.path("name").asText("");
        String datatype = input.path("datatype").asText("");
        long[] shape = shape(input.path("shape"), name);
        JsonNode binarySize = input.path("parameters").path("binary_data_size");
        byte[] binary = null;
        if (!binarySize.isMissingNode()) {
            long n = binarySize.asLong(-1);
            if (n < 0 || jsonLength + n > body.length) {
                throw RestError.invalid("Input '" + name + "' declares binary_data_size " + binarySize
                        + " but the body holds " + (body.length - jsonLength) + " bytes after the JSON header.");
            }
            binary = java.util.Arrays.copyOfRange(body, jsonLength, jsonLength + (int) n);
        }
        String id = root.path("id").isTextual() ? root.path("id").asText() : null;
        for (JsonNode out : root.path("outputs")) {
            String wanted = out.path("name").asText("");
            if (!wanted.equals(CLASSIFICATION_OUTPUT) && !wanted.equals(LOGITS_OUTPUT)) {
                throw RestError.invalid("Unknown output '" + wanted + "': this model has '" + CLASSIFICATION_OUTPUT
                        + "' (for BYTES images) and '" + LOGITS_OUTPUT + "' (for an FP32 batch).");
            }
        }
        ClassifyOptions options = options(root);
        return switch (datatype) {
            case "BYTES" -> {
                List<ImageInput> images = binary != null ? binaryElements(binary, name)
                        : stringElements(tensorData, name, input.path("parameters").path("content_type").asText(""));
                checkCount(images.size(), shape, name);
                if (images.isEmpty()) {
                    throw RestError.invalid("Input '" + name + "' holds no images.");
                }
                yield new InferRequest(id, List.copyOf(images), null, shape, options);
            }
            case "FP32" -> {
                if (shape.length < 2) {
                    throw RestError.invalid("FP32 input '" + name + "' needs a shape like [N,3,224,224], got "
                            + java.util.Arrays.toString(shape) + ".");
                }
                float[] data = binary != null ? binaryFloats(binary, name) : jsonFloats(tensorData, name);
                checkCount(data.length, shape, name);
                for (int i = 0; i < data.length; i++) {
                    if (!Float.isFinite(data[i])) {
                        throw RestError.invalid("FP32 input '" + name + "' element " + i + " is " + data[i]
                                + (binary != null ? "" : " (beyond float32's range of ±3.4e38)") + "; every value must be a finite number.");
                    }
                }
                yield new InferRequest(id, null, data, shape, options);
            }
            default -> throw RestError.invalid("Input '" + name + "' has datatype '" + datatype + "': this server takes "
                    + "BYTES (encoded image files) or FP32 (a preprocessed [N,3,H,W] batch).");
        };
    }

    /** Runs the request; called on a worker thread. */
    JsonNode run(ClassifyImageUseCase useCase, RawTensorInference tensors) {
        return images != null ? classify(useCase) : logits(tensors);
    }

    private JsonNode classify(ClassifyImageUseCase useCase) {
        List<ClassificationResult> results = new ArrayList<>();
        if (images.size() == 1) {
            results.add(useCase.classify(images.get(0), options));
        } else {
            List<ClassificationOutcome> outcomes = useCase.classifyBatch(images, options);
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) instanceof ClassificationOutcome.Failure f) {
                    throw RestError.of(f.code(), "Image " + i + " of the batch: " + f.message());
                }
                results.add(outcomes.get(i).orThrow());
            }
        }
        ObjectNode out = Json.object().put("name", CLASSIFICATION_OUTPUT).put("datatype", "BYTES");
        int k = results.stream().mapToInt(r -> r.classifications().size()).max().orElse(0);
        out.putArray("shape").add(results.size()).add(k);
        ArrayNode data = out.putArray("data");
        for (ClassificationResult r : results) {
            for (Classification c : r.classifications()) {
                data.add(String.format(Locale.ROOT, "%.6f:%d:%s", c.score(), c.classIndex(), c.label()));
            }
        }
        return out;
    }

    private JsonNode logits(RawTensorInference tensors) {
        if (tensors == null) {
            throw RestError.invalid("This server accepts BYTES inputs only (encoded image files in input '" + IMAGE_INPUT
                    + "'); FP32 tensor input is not enabled.");
        }
        RawTensorInference.Logits l = tensors.infer(tensor, shape);
        ObjectNode out = Json.object().put("name", LOGITS_OUTPUT).put("datatype", "FP32");
        ArrayNode s = out.putArray("shape");
        for (long d : l.shape()) {
            s.add(d);
        }
        ArrayNode data = out.putArray("data");
        for (float f : l.data()) {
            data.add(f);
        }
        return out;
    }

    private static ClassifyOptions options(JsonNode root) {
        ClassifyOptions o = ClassifyOptions.defaults();
        try {
            JsonNode k = root.path("parameters").path("top_k");
            for (JsonNode out : root.path("outputs")) {
                if (out.path("parameters").has("classification")) {
                    k = out.path("parameters").path("classification");
                }
            }
            if (!k.isMissingNode()) {
                if (!k.canConvertToInt() || !k.isIntegralNumber()) {
                    throw RestError.invalid("top_k / classification must be an integer 1..1000, got " + k + ".");
                }
                o = o.withTopK(k.intValue());
            }
            JsonNode style = root.path("parameters").path("label_style");
            if (style.isTextual()) {
                o = o.withLabelStyle(LabelStyle.parse(style.asText()));
            }
            return o;
        } catch (ArgusException e) {
            throw RestError.of(e);
        }
    }

    private static long[] shape(JsonNode node, String name) {
        if (!node.isArray() || node.isEmpty()) {
            throw RestError.invalid("Input '" + name + "' needs a \"shape\" array, e.g. [1].");
        }
        long[] s = new long[node.size()];
        for (int i = 0; i < s.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > Integer.MAX_VALUE) {
                throw RestError.invalid("Input '" + name + "' has a bad shape " + node + ": dimensions must be positive integers.");
            }
            s[i] = d.asLong();
        }
        return s;
    }

    private static void checkCount(long count, long[] shape, String name) {
        long expected = 1;
        try {
            for (long d : shape) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw RestError.invalid("Input '" + name + "' has the shape " + java.util.Arrays.toString(shape)
                    + ", whose element count overflows.");
        }
        if (count != expected) {
            throw RestError.invalid("Input '" + name + "' has " + count + " elements but its shape "
                    + java.util.Arrays.toString(shape) + " needs " + expected + ".");
        }
    }

    private static List<ImageInput> stringElements(InferJson.TensorData data, String name, String contentType) {
        requireData(data, name);
        if (data.numberCount() > 0 || data.bad != null) {
            throw RestError.invalid("Input '" + name + "' is BYTES: each element must be a string (base64 of the image "
                    + "file), got " + (data.bad != null ? data.bad : "a number") + ".");
        }
        List<ImageInput> images = new ArrayList<>(data.strings.size());
        for (String s : data.strings) {
            images.add(ImageInput.of(bytesOf(s, contentType, name + "[" + images.size() + "]")));
        }
        return images;
    }

    private static void requireData(InferJson.TensorData data, String name) {
        if (!data.present) {
            throw RestError.invalid("Input '" + name + "' has no \"data\" (and no binary_data_size).");
        }
    }

    private static byte[] bytesOf(String s, String contentType, String name) {
        if (contentType.equals("base64")) {
            return ImageJson.Base64Image.decode(s, name);
        }
        if (!contentType.equals("str") && !s.isEmpty()) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException notBase64) {
                // a plain string: its characters are the bytes
            }
        }
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                throw RestError.invalid("Element " + name + " is neither base64 nor a string of byte characters "
                        + "(character " + i + " is U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ").");
            }
            b[i] = (byte) c;
        }
        return b;
    }

    private static List<ImageInput> binaryElements(byte[] binary, String name) {
        List<ImageInput> images = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (buf.remaining() < 4) {
                throw RestError.invalid("Binary BYTES input '" + name + "' is cut inside a length prefix.");
            }
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining()) {
                throw RestError.invalid("Binary BYTES input '" + name + "' element " + images.size() + " declares "
                        + Integer.toUnsignedString(n) + " bytes but " + buf.remaining() + " remain.");
            }
            byte[] e = new byte[n];
            buf.get(e);
            images.add(ImageInput.of(e));
        }
        return images;
    }

    private static float[] binaryFloats(byte[] binary, String name) {
        if (binary.length % 4 != 0) {
            throw RestError.invalid("Binary FP32 input '" + name + "' has " + binary.length + " bytes, not a multiple of 4.");
        }
        float[] f = new float[binary.length / 4];
        ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static float[] jsonFloats(InferJson.TensorData data, String name) {
        requireData(data, name);
        if (!data.strings.isEmpty() || data.bad != null) {
            throw RestError.invalid("FP32 input '" + name + "' has an element that is not a number: "
                    + (data.bad != null ? data.bad : "\"" + data.strings.get(0) + "\"") + ".");
        }
        return data.floats();
    }
}
