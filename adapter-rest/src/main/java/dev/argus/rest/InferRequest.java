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
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.model.FloatTensor;
import dev.argus.domain.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
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
 * little-endian. Output {@code logits}: FP32 {@code [N, classes]}. Needs the model's {@link InferTensorUseCase}.</li>
 * </ul>
 * The output comes back as JSON {@code data}, or as binary tensor data after the JSON when the request asks for it
 * ({@link #binaryOutput()}).
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
    private boolean binaryOutput;

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

    /**
     * Whether the output goes back as binary tensor data (the binary tensor extension): asked by the request parameter
     * {@code binary_data_output} or the output's own {@code binary_data} (which wins), as tritonclient.http does by
     * default.
     */
    boolean binaryOutput() {
        return binaryOutput;
    }

    private static boolean binaryOutput(JsonNode root) {
        boolean binary = root.path("parameters").path("binary_data_output").asBoolean(false);
        for (JsonNode out : root.path("outputs")) {
            JsonNode b = out.path("parameters").path("binary_data");
            if (b.isBoolean()) {
                binary = b.asBoolean();
            }
        }
        return binary;
    }

    /**
     * {@code output} (as {@link #run} made it) with its {@code data} taken out, as the binary extension lays it out:
     * little-endian, row-major; a BYTES element is a 4-byte little-endian length and the UTF-8 bytes. The output gets
     * {@code parameters.binary_data_size}.
     */
    static byte[] toBinary(ObjectNode output) {
        JsonNode data = output.remove("data");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (output.path("datatype").asText().equals("BYTES")) {
            for (JsonNode e : data) {
                byte[] b = e.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
                out.writeBytes(b);
            }
        } else {
            ByteBuffer b = ByteBuffer.allocate(4 * data.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode e : data) {
                b.putFloat(e.floatValue());
            }
            out.writeBytes(b.array());
        }
        byte[] bytes = out.toByteArray();
        output.putObject("parameters").put("binary_data_size", bytes.length);
        return bytes;
    }

    int batchSize() {
        return images != null ? images.size() : (int) shape[0];
    }

    /**
     * Parses a request body: JSON, or with the binary extension a JSON header of {@code headerLength} bytes and the
     * binary tensor data after it. Every count is checked as it is read ({@link InferJson.Limits}; binary elements one
     * by one), so a request with a million elements is refused after the first one too many.
     */
    static InferRequest parse(Body body, String headerLength, InferJson.Limits limits, long maxImageBytes) {
        long jsonLength = body.size();
        if (headerLength != null) {
            try {
                jsonLength = Long.parseLong(headerLength.trim());
            } catch (NumberFormatException e) {
                jsonLength = -1;
            }
            if (jsonLength < 0 || jsonLength > body.size()) {
                throw RestError.invalid(HEADER_LENGTH + " must be 0.." + body.size() + ", got '" + headerLength + "'.");
            }
        }
        InputStream in = body.stream();
        InferJson.Parsed parsed;
        try {
            parsed = InferJson.parse(new Prefix(in, jsonLength), limits, body);
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
        long binaryBytes = -1;
        if (!binarySize.isMissingNode()) {
            binaryBytes = binarySize.asLong(-1);
            if (binaryBytes < 0 || jsonLength + binaryBytes > body.size()) {
                throw RestError.invalid("Input '" + name + "' declares binary_data_size " + binarySize
                        + " but the body holds " + (body.size() - jsonLength) + " bytes after the JSON header.");
            }
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
        Binary binary = binaryBytes < 0 ? null : new Binary(in, binaryBytes, body);
        InferRequest request = switch (datatype) {
            case "BYTES" -> {
                List<ImageInput> images = binary != null ? binary.elements(name, limits.maxStrings(), maxImageBytes)
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
                float[] data = binary != null ? binary.floats(name, limits.maxNumbers()) : jsonFloats(tensorData, name);
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
        request.binaryOutput = binaryOutput(root);
        return request;
    }

    /** The first {@code length} bytes of a stream, leaving the rest unread. */
    private static final class Prefix extends java.io.FilterInputStream {
        private long left;

        Prefix(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // the rest of the body is still to be read
        }
    }

    /**
     * The binary tensor data after the JSON header, read straight from the body: BYTES elements one by one (each a
     * 4-byte little-endian length and the bytes, counted and size-checked before it is allocated), or FP32 values.
     */
    private record Binary(InputStream in, long size, Body body) {
        List<ImageInput> elements(String name, int maxElements, long maxImageBytes) {
            List<ImageInput> images = new ArrayList<>();
            long left = size;
            try {
                while (left > 0) {
                    if (left < 4) {
                        throw RestError.invalid("Binary BYTES input '" + name + "' is cut inside a length prefix.");
                    }
                    if (images.size() == maxElements) {
                        throw RestError.invalid("Binary BYTES input '" + name + "' has more than " + maxElements
                                + " elements; the limit (max_batch_size) is " + maxElements + " images per request.");
                    }
                    byte[] prefix = in.readNBytes(4);
                    long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                    left -= 4;
                    if (n > left) {
                        throw RestError.invalid("Binary BYTES input '" + name + "' element " + images.size() + " declares "
                                + n + " bytes but " + left + " remain.");
                    }
                    if (n > maxImageBytes) {
                        throw RestError.of(ErrorCode.INPUT_TOO_LARGE, "Binary BYTES input '" + name + "' element "
                                + images.size() + " has " + n + " bytes, more than the largest image accepted ("
                                + maxImageBytes + " bytes, argus.limits.max-bytes).");
                    }
                    body.reserve(n);
                    images.add(ImageInput.of(in.readNBytes((int) n)));
                    left -= n;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e); // a Body is in memory
            }
            return images;
        }

        float[] floats(String name, long maxNumbers) {
            if (size % 4 != 0) {
                throw RestError.invalid("Binary FP32 input '" + name + "' has " + size + " bytes, not a multiple of 4.");
            }
            if (size / 4 > maxNumbers) {
                throw RestError.invalid(maxNumbers == 0
                        ? "This server accepts BYTES inputs only (encoded image files); FP32 tensor input is not enabled."
                        : "Binary FP32 input '" + name + "' holds " + size / 4 + " values, more than " + maxNumbers
                          + " (max_batch_size images of the model's input size).");
            }
            body.reserve(size);
            float[] f = new float[(int) (size / 4)];
            byte[] buf = new byte[64 * 1024];
            try {
                for (int at = 0; at < f.length; ) {
                    int want = Math.min(buf.length, (f.length - at) * 4);
                    int got = in.readNBytes(buf, 0, want);
                    if (got < want) {
                        throw RestError.invalid("Binary FP32 input '" + name + "' is cut off.");
                    }
                    ByteBuffer.wrap(buf, 0, got).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f, at, got / 4);
                    at += got / 4;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return f;
        }
    }

    /** Runs the request, until {@code deadline}, in the span {@code trace}. */
    JsonNode run(ClassifyImageUseCase useCase, InferTensorUseCase tensors, dev.argus.domain.Deadline deadline,
                 dev.argus.domain.TraceContext trace) {
        return images != null ? classify(useCase, options.withDeadline(deadline).withTrace(trace)) : logits(tensors, deadline);
    }

    private JsonNode classify(ClassifyImageUseCase useCase, ClassifyOptions options) {
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

    private JsonNode logits(InferTensorUseCase tensors, dev.argus.domain.Deadline deadline) {
        if (tensors == null) {
            throw RestError.invalid("This server accepts BYTES inputs only (encoded image files in input '" + IMAGE_INPUT
                    + "'); FP32 tensor input is not enabled.");
        }
        FloatTensor l = tensors.infer(new FloatTensor(shape, tensor), deadline);
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

    private static float[] jsonFloats(InferJson.TensorData data, String name) {
        requireData(data, name);
        if (!data.strings.isEmpty() || data.bad != null) {
            throw RestError.invalid("FP32 input '" + name + "' has an element that is not a number: "
                    + (data.bad != null ? data.bad : "\"" + data.strings.get(0) + "\"") + ".");
        }
        return data.floats();
    }
}
