package dev.argus.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.ModelInfo;
import dev.argus.ports.service.Admission;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol (KServe v2) over REST: server and model metadata, liveness and readiness, and
 * {@code infer} (see {@link InferRequest}). Errors are {@code {"error": "..."}} with the status of the same mapping as
 * every other route (400 for bad input). The model is addressed by its name ({@code microsoft/resnet-50}, literally or
 * as {@code microsoft%2Fresnet-50}) or its short alias ({@code resnet-50}); its only version is {@code 1}.
 */
final class InferenceProtocolRoutes {
    static final String VERSION = "1";
    private final ClassifyImageUseCase useCase;
    private final RawTensorInference tensors;
    private final Admission admission;
    private final RestMetrics metrics;
    private final RestConfig config;
    private final BooleanSupplier ready;

    InferenceProtocolRoutes(ClassifyImageUseCase useCase, RawTensorInference tensors, Admission admission,
                            RestMetrics metrics, RestConfig config, BooleanSupplier ready) {
        this.useCase = useCase;
        this.tensors = tensors;
        this.admission = admission;
        this.metrics = metrics;
        this.config = config;
        this.ready = ready;
    }

    void server(Context ctx) {
        ObjectNode o = Json.object().put("name", "argus").put("version", version());
        o.putArray("extensions").add("classification").add("model_configuration").add("binary_tensor_data");
        Exchange.json(ctx, 200, o);
    }

    void live(Context ctx) {
        Exchange.json(ctx, 200, Json.object().put("live", true));
    }

    void ready(Context ctx) {
        boolean r = ready.getAsBoolean();
        Exchange.json(ctx, r ? 200 : 503, Json.object().put("ready", r));
    }

    /** {@code GET /v2/models/...}: metadata, {@code /ready} or {@code /config}. */
    void get(Context ctx) {
        ModelPath p = resolve(ctx);
        switch (p.action()) {
            case "" -> Exchange.json(ctx, 200, metadata());
            case "ready" -> ready(ctx);
            case "config" -> Exchange.json(ctx, 200, modelConfig());
            default -> throw RestError.notFound("GET", ctx.path());
        }
    }

    /** {@code POST /v2/models/.../infer}. */
    void post(Context ctx) {
        ModelPath p = resolve(ctx);
        if (!p.action().equals("infer")) {
            throw RestError.notFound("POST", ctx.path());
        }
        try (Admission.Ticket ticket = admission.admit();
             Body body = RequestBody.read(ctx, config.maxBodyBytes(), ticket, admission)) {
            Exchange.bytesIn(ctx, body.size());
            if (body.size() == 0) {
                throw RestError.missingBody();
            }
            InferRequest request = InferRequest.parse(body, ctx.header(InferRequest.HEADER_LENGTH), limits(), config.maxImageBytes());
            if (request.batchSize() > config.maxImagesPerRequest()) {
                throw RestError.invalid("The request holds a batch of " + request.batchSize() + "; the limit (max_batch_size) is "
                        + config.maxImagesPerRequest() + " per request.");
            }
            metrics.batch(request.batchSize());
            JsonNode output = request.run(useCase, tensors, ticket.deadline());
            ObjectNode response = Json.object().put("model_name", useCase.model().model()).put("model_version", VERSION);
            if (request.id() != null) {
                response.put("id", request.id());
            }
            response.putArray("outputs").add(output);
            Exchange.json(ctx, 200, response);
        }
    }

    /** What one infer request may hold, checked while it is parsed; the served model's, worked out once. */
    private InferJson.Limits limits() {
        InferJson.Limits l = limits;
        if (l == null) {
            int batch = config.maxImagesPerRequest();
            long perImage = tensors == null ? 0 : useCase.model().preprocess().map(spec -> (long) spec.valuesPerImage()).orElse(0L);
            l = new InferJson.Limits(batch, batch * perImage, ImageJson.Base64Image.maxChars(config.maxImageBytes()));
            limits = l;
        }
        return l;
    }

    private volatile InferJson.Limits limits;

    private ModelPath resolve(Context ctx) {
        String uri = ctx.req().getRequestURI();
        String rest = uri.substring(uri.indexOf("/v2/models/") + "/v2/models/".length());
        ModelPath p = ModelPath.parse(rest);
        String served = useCase.model().model();
        if (!p.names(served)) {
            throw new UnknownModel(p.model(), served).error();
        }
        if (!p.version().isEmpty() && !p.version().equals(VERSION)) {
            throw new UnknownModel(p.model() + " version " + p.version(), served + " version " + VERSION).error();
        }
        return p;
    }

    private record UnknownModel(String asked, String served) {
        RestError error() {
            return RestError.notFoundModel("Unknown model '" + asked + "': this server serves '" + served + "'.");
        }
    }

    private ObjectNode metadata() {
        ModelInfo info = useCase.model();
        ObjectNode o = Json.object().put("name", info.model());
        o.putArray("versions").add(VERSION);
        o.put("platform", "argus-" + info.backend());
        ArrayNode inputs = o.putArray("inputs");
        ObjectNode image = inputs.addObject().put("name", InferRequest.IMAGE_INPUT).put("datatype", "BYTES");
        image.putArray("shape").add(-1);
        ArrayNode outputs = o.putArray("outputs");
        ObjectNode cls = outputs.addObject().put("name", InferRequest.CLASSIFICATION_OUTPUT).put("datatype", "BYTES");
        cls.putArray("shape").add(-1).add(-1);
        if (tensors != null) {
            ObjectNode px = inputs.addObject().put("name", InferRequest.TENSOR_INPUT).put("datatype", "FP32");
            ArrayNode shape = px.putArray("shape").add(-1);
            info.preprocess().ifPresentOrElse(spec -> {
                for (long d : spec.batchShape(1)) {
                    shape.add(d);
                }
                shape.remove(1);
            }, () -> shape.add(-1).add(-1).add(-1));
            outputs.addObject().put("name", InferRequest.LOGITS_OUTPUT).put("datatype", "FP32")
                    .putArray("shape").add(-1).add(info.labelCount());
        }
        // how Argus prepares an image for this model (an extension field; OIP clients ignore what they do not know)
        info.preprocess().ifPresent(spec -> preprocessing(o.putObject("parameters").putObject("preprocessing"), spec));
        return o;
    }

    private static void preprocessing(ObjectNode p, dev.argus.domain.PreprocessSpec spec) {
        p.put("width", spec.inputWidth()).put("height", spec.inputHeight())
                .put("resize", spec.resizeMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .put("resize_short_side", spec.resizeShortSide()).put("scale", spec.scale())
                .put("channel_order", spec.channelOrder().name().toLowerCase(java.util.Locale.ROOT))
                .put("layout", spec.layout().name().toLowerCase(java.util.Locale.ROOT))
                .put("resample", spec.resample().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode mean = p.putArray("mean");
        ArrayNode std = p.putArray("std");
        for (int i = 0; i < 3; i++) {
            mean.add(spec.mean()[i]);
            std.add(spec.std()[i]);
        }
    }

    private ObjectNode modelConfig() {
        ModelInfo info = useCase.model();
        ObjectNode o = Json.object().put("name", info.model()).put("platform", "argus-" + info.backend())
                .put("backend", info.backend()).put("max_batch_size", config.maxImagesPerRequest());
        ArrayNode input = o.putArray("input");
        input.addObject().put("name", InferRequest.IMAGE_INPUT).put("data_type", "TYPE_STRING").putArray("dims").add(1);
        ArrayNode output = o.putArray("output");
        output.addObject().put("name", InferRequest.CLASSIFICATION_OUTPUT).put("data_type", "TYPE_STRING")
                .putArray("dims").add(-1);
        if (tensors != null) {
            ArrayNode dims = input.addObject().put("name", InferRequest.TENSOR_INPUT).put("data_type", "TYPE_FP32").putArray("dims");
            info.preprocess().ifPresent(spec -> {
                long[] s = spec.batchShape(1);
                for (int i = 1; i < s.length; i++) {
                    dims.add(s[i]);
                }
            });
            output.addObject().put("name", InferRequest.LOGITS_OUTPUT).put("data_type", "TYPE_FP32")
                    .putArray("dims").add(info.labelCount());
        }
        return o;
    }

    private static String version() {
        String v = InferenceProtocolRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
