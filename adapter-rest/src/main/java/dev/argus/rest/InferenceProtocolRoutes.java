package dev.argus.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.ports.in.InferTensorUseCase;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.service.Admission;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol (KServe v2) over REST: server and model metadata, liveness and readiness, and
 * {@code infer} (see {@link InferRequest}). Errors are {@code {"error": "..."}} with the status of the same mapping as
 * every other route (400 for bad input). A model is addressed by its name ({@code microsoft/resnet-50}, literally or
 * as {@code microsoft%2Fresnet-50}), its short name ({@code resnet-50}) or an alias, and optionally a version served
 * (without one, the newest). {@code /v2/repository/index} lists every model version, served or failed.
 */
final class InferenceProtocolRoutes {
    private final ModelCatalog catalog;
    private final Admission admission;
    private final RestMetrics metrics;
    private final RestConfig config;
    private final BooleanSupplier ready;

    InferenceProtocolRoutes(ModelCatalog catalog, Admission admission, RestMetrics metrics, RestConfig config,
                            BooleanSupplier ready) {
        this.catalog = catalog;
        this.admission = admission;
        this.metrics = metrics;
        this.config = config;
        this.ready = ready;
    }

    void server(Context ctx) {
        ObjectNode o = Json.object().put("name", "argus").put("version", version());
        o.putArray("extensions").add("classification").add("model_configuration").add("model_repository")
                .add("statistics").add("binary_tensor_data");
        Exchange.json(ctx, 200, o);
    }

    void live(Context ctx) {
        Exchange.json(ctx, 200, Json.object().put("live", true));
    }

    /** The server is ready when it has started and every required model is ready. */
    void ready(Context ctx) {
        ready(ctx, ready.getAsBoolean() && catalog.ready());
    }

    private static void ready(Context ctx, boolean r) {
        Exchange.json(ctx, r ? 200 : 503, Json.object().put("ready", r));
    }

    /** {@code GET /v2/models/...}: metadata, {@code /ready} or {@code /config}. */
    void get(Context ctx) {
        ModelPath p = path(ctx);
        if (p.model().equals("stats") && p.version().isEmpty() && p.action().isEmpty()) {
            Exchange.json(ctx, 200, statistics(catalog.models()));
            return;
        }
        ServedModel model = resolve(catalog, p);
        switch (p.action()) {
            case "" -> Exchange.json(ctx, 200, metadata(model));
            case "ready" -> ready(ctx, ready.getAsBoolean() && model.isReady());
            case "config" -> Exchange.json(ctx, 200, modelConfig(model));
            case "stats" -> Exchange.json(ctx, 200, statistics(p.version().isEmpty()
                    ? catalog.models().stream().filter(m -> m.name().equals(model.name())).toList()
                    : java.util.List.of(model)));
            default -> throw RestError.notFound("GET", ctx.path());
        }
    }

    /**
     * The statistics extension ({@code GET /v2/models[/{name}[/versions/{v}]]/stats}), from the scheduler's: counts are
     * of images, and every image counts once in queue and in each compute stage (an image is charged its whole batch's
     * time, as Triton charges each request of a batch). A remote backend has no engine stage here: its counts are 0.
     */
    private static final dev.argus.ports.in.InferenceStatistics NO_STATISTICS =
            new dev.argus.ports.in.InferenceStatistics(0, 0, 0, 0, 0, 0, 0, new long[0], 0);

    private static ObjectNode statistics(java.util.List<ServedModel> models) {
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("model_stats");
        for (ServedModel m : models) {
            ObjectNode e = list.addObject().put("name", m.name()).put("version", m.version()).put("last_inference", 0);
            dev.argus.ports.in.InferenceStatistics s = m.statistics().map(java.util.function.Supplier::get).orElse(NO_STATISTICS);
            long n = s.success();
            e.put("inference_count", n).put("execution_count", s.executions());
            ObjectNode stats = e.putObject("inference_stats");
            duration(stats, "success", n, s.successNanos());
            duration(stats, "fail", s.failure(), 0);
            duration(stats, "queue", n, s.queueNanos());
            duration(stats, "compute_input", n, s.inputNanos());
            duration(stats, "compute_infer", n, s.inferNanos());
            duration(stats, "compute_output", n, s.outputNanos());
            duration(stats, "cache_hit", 0, 0);
            duration(stats, "cache_miss", 0, 0);
            ArrayNode batches = e.putArray("batch_stats");
            long[] sizes = s.batchSizeCounts();
            for (int size = 1; size < sizes.length; size++) {
                if (sizes[size] > 0) {
                    duration(batches.addObject().put("batch_size", size), "compute_infer", sizes[size], 0);
                }
            }
        }
        return o;
    }

    private static void duration(ObjectNode parent, String name, long count, long nanos) {
        parent.putObject(name).put("count", count).put("ns", nanos);
    }

    /**
     * {@code GET|POST /v2/repository/index} (the repository extension): every model version, served ({@code READY},
     * or {@code LOADING} before its warm-up ends) or not ({@code UNAVAILABLE}, with the reason).
     */
    void index(Context ctx) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (ModelCatalog.IndexEntry e : catalog.index()) {
            a.addObject().put("name", e.name()).put("version", e.version()).put("state", e.state()).put("reason", e.reason());
        }
        Exchange.json(ctx, 200, a);
    }

    /** {@code POST /v2/models/.../infer}. */
    void post(Context ctx) {
        ModelPath p = path(ctx);
        ServedModel model = resolve(catalog, p);
        InferTensorUseCase tensors = model.tensors().orElse(null);
        if (!p.action().equals("infer")) {
            throw RestError.notFound("POST", ctx.path());
        }
        try (Admission.Ticket ticket = admission.admit();
             Body body = RequestBody.read(ctx, config.maxBodyBytes(), ticket, admission)) {
            Exchange.bytesIn(ctx, body.size());
            if (body.size() == 0) {
                throw RestError.missingBody();
            }
            InferRequest request = InferRequest.parse(body, ctx.header(InferRequest.HEADER_LENGTH), limits(model), config.maxImageBytes());
            if (request.batchSize() > config.maxImagesPerRequest()) {
                throw RestError.invalid("The request holds a batch of " + request.batchSize() + "; the limit (max_batch_size) is "
                        + config.maxImagesPerRequest() + " per request.");
            }
            metrics.batch(request.batchSize());
            JsonNode output = request.run(model.useCase(), tensors, ticket.deadline(), Exchange.trace(ctx));
            ObjectNode response = Json.object().put("model_name", model.name()).put("model_version", model.version());
            if (request.id() != null) {
                response.put("id", request.id());
            }
            response.putArray("outputs").add(output);
            if (request.binaryOutput()) {
                // the binary tensor extension: the JSON, then the output's bytes; the header says where the JSON ends
                byte[] tensor = InferRequest.toBinary((ObjectNode) output);
                byte[] head = Json.bytes(response);
                byte[] all = java.util.Arrays.copyOf(head, head.length + tensor.length);
                System.arraycopy(tensor, 0, all, head.length, tensor.length);
                ctx.header(InferRequest.HEADER_LENGTH, Integer.toString(head.length));
                Exchange.reply(ctx, 200, "application/octet-stream", all);
                return;
            }
            Exchange.json(ctx, 200, response);
        }
    }

    /** What one infer request for {@code model} may hold, checked while it is parsed. */
    private InferJson.Limits limits(ServedModel model) {
        int batch = config.maxImagesPerRequest();
        long perImage = model.tensors().isEmpty() ? 0
                : model.useCase().model().preprocess().map(spec -> (long) spec.valuesPerImage()).orElse(0L);
        return new InferJson.Limits(batch, batch * perImage, ImageJson.Base64Image.maxChars(config.maxImageBytes()));
    }

    private static ModelPath path(Context ctx) {
        String uri = ctx.req().getRequestURI();
        return ModelPath.parse(uri.substring(uri.indexOf("/v2/models/") + "/v2/models/".length()));
    }

    /** The model a path names, or 404/3042 naming what this server serves. */
    static ServedModel resolve(ModelCatalog catalog, ModelPath p) {
        return catalog.find(p.model(), p.version()).orElseThrow(() -> RestError.notFoundModel("Unknown model '"
                + p.model() + "'" + (p.version().isEmpty() ? "" : " version '" + p.version() + "'") + ": this server serves "
                + catalog.describe() + "."));
    }

    private ObjectNode metadata(ServedModel model) {
        ModelInfo info = model.useCase().model();
        boolean tensors = model.tensors().isPresent();
        ObjectNode o = Json.object().put("name", model.name());
        ArrayNode versions = o.putArray("versions");
        catalog.models().stream().filter(m -> m.name().equals(model.name())).forEach(m -> versions.add(m.version()));
        o.put("platform", "argus-" + info.backend());
        ArrayNode inputs = o.putArray("inputs");
        ObjectNode image = inputs.addObject().put("name", InferRequest.IMAGE_INPUT).put("datatype", "BYTES");
        image.putArray("shape").add(-1).add(1); // as Triton derives it from max_batch_size > 0 and dims [1]
        ArrayNode outputs = o.putArray("outputs");
        ObjectNode cls = outputs.addObject().put("name", InferRequest.CLASSIFICATION_OUTPUT).put("datatype", "BYTES");
        cls.putArray("shape").add(-1).add(-1);
        if (tensors) {
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
        // extension fields (OIP clients ignore what they do not know): how Argus prepares an image for this model, and
        // what the model records about itself (precision; argus quantize's measured agreement)
        if (info.preprocess().isPresent() || !info.properties().isEmpty()) {
            ObjectNode parameters = o.putObject("parameters");
            info.preprocess().ifPresent(spec -> preprocessing(parameters.putObject("preprocessing"), spec));
            info.precision().ifPresent(p -> parameters.put("precision", p));
            if (!info.properties().isEmpty()) {
                ObjectNode props = parameters.putObject("model_properties");
                info.properties().forEach(props::put);
            }
        }
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

    private ObjectNode modelConfig(ServedModel model) {
        ModelInfo info = model.useCase().model();
        boolean tensors = model.tensors().isPresent();
        ObjectNode o = Json.object().put("name", model.name()).put("version", model.version()).put("platform", "argus-" + info.backend())
                .put("backend", info.backend()).put("max_batch_size", config.maxImagesPerRequest());
        o.putObject("dynamic_batching"); // the scheduler batches images across requests
        ArrayNode input = o.putArray("input");
        input.addObject().put("name", InferRequest.IMAGE_INPUT).put("data_type", "TYPE_STRING").putArray("dims").add(1);
        ArrayNode output = o.putArray("output");
        output.addObject().put("name", InferRequest.CLASSIFICATION_OUTPUT).put("data_type", "TYPE_STRING")
                .putArray("dims").add(-1);
        if (tensors) {
            // optional: a request gives one input or the other (perf_analyzer then sends only the images)
            ArrayNode dims = input.addObject().put("name", InferRequest.TENSOR_INPUT).put("data_type", "TYPE_FP32")
                    .put("optional", true).putArray("dims");
            info.preprocess().ifPresent(spec -> {
                long[] s = spec.batchShape(1);
                for (int i = 1; i < s.length; i++) {
                    dims.add(s[i]);
                }
            });
            output.addObject().put("name", InferRequest.LOGITS_OUTPUT).put("data_type", "TYPE_FP32")
                    .putArray("dims").add(info.labelCount());
        }
        if (!info.properties().isEmpty()) { // Triton's shape: parameters.{key}.string_value
            ObjectNode parameters = o.putObject("parameters");
            info.properties().forEach((k, v) -> parameters.putObject(k).put("string_value", v));
        }
        return o;
    }

    private static String version() {
        String v = InferenceProtocolRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
