package dev.argus.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.service.Admission;
import dev.argus.domain.Deadline;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/classify}: Argus's own route, with options and batches, answered in Cloudflare's envelope.
 *
 * <p>One image (raw body, or JSON {@code image}) gives {@code result = {predictions, backend, model, timings_ms}};
 * a batch (multipart with one or more files, or JSON {@code images}) gives {@code result = {items: [...]}} where each
 * item is such a result plus {@code index}/{@code name}, or {@code {index, name, error: {code, message}}} for an image
 * that failed alone. Options: {@code top_k} and {@code label_style} as query parameters, form fields or JSON members
 * (the body wins).
 */
final class ClassifyRoute {
    static final String PATH = "/v1/classify";
    private final ModelCatalog catalog;
    private final Admission admission;
    private final RestMetrics metrics;
    private final RestConfig config;

    ClassifyRoute(ModelCatalog catalog, Admission admission, RestMetrics metrics, RestConfig config) {
        this.catalog = catalog;
        this.admission = admission;
        this.metrics = metrics;
        this.config = config;
    }

    /** Where a model is named: {@code POST /v1/models/{name}[/versions/{v}]/classify}. */
    static final String MODEL_PATH = "/v1/models/";

    /**
     * {@code POST /v1/models/{name}[/versions/{v}]/classify}: {@link #handle} for the model named: its full name, its
     * short name after the last '/' or an alias (any case), a version served or none (the newest). Another name or
     * version is refused before the body is read, with 404/3042 naming what this server serves.
     */
    void handleNamed(Context ctx) {
        String uri = ctx.req().getRequestURI();
        ModelPath p = ModelPath.parse(uri.substring(uri.indexOf(MODEL_PATH) + MODEL_PATH.length()));
        if (!p.action().equals("classify")) {
            throw RestError.notFound("POST", ctx.path());
        }
        classify(ctx, InferenceProtocolRoutes.resolve(catalog, p).useCase());
    }

    /** {@code POST /v1/classify}: the default model. */
    void handle(Context ctx) {
        classify(ctx, InferenceProtocolRoutes.resolve(catalog, new ModelPath("", "", "classify")).useCase());
    }

    private void classify(Context ctx, ClassifyImageUseCase useCase) {
        try (Admission.Ticket ticket = admission.admit();
             Body body = RequestBody.read(ctx, config.maxBodyBytes(), ticket, admission)) {
            Deadline deadline = ticket.deadline();
            Exchange.bytesIn(ctx, body.size());
            if (body.size() == 0) {
                throw RestError.missingBody();
            }
            if (RequestBody.isMultipart(ctx.contentType())) {
                multipart(ctx, useCase, deadline, body);
                return;
            }
            ClassifyOptions options = options(ctx.queryParam("top_k"), ctx.queryParam("label_style"));
            if (RequestBody.isJson(ctx.contentType(), body)) {
                ImageJson.Request r = ImageJson.parseV1(body, new ImageJson.Limits(config.maxImagesPerRequest(), config.maxImageBytes()));
                options = override(options, r.topK(), r.labelStyle());
                if (r.batch()) {
                    batch(ctx, useCase, r.images(), names(r.images().size()), options.withDeadline(deadline));
                    return;
                }
                single(ctx, useCase, r.images().get(0), options.withDeadline(deadline));
                return;
            }
            single(ctx, useCase, ImageInput.of(body.toByteArray()), options.withDeadline(deadline));
        }
    }

    private void single(Context ctx, ClassifyImageUseCase useCase, ImageInput image, ClassifyOptions options) {
        metrics.batch(1);
        ClassificationResult r = useCase.classify(image, options.withTrace(Exchange.trace(ctx)));
        Exchange.json(ctx, 200, RestCloudflareWire.success(Json.v1Result(r)));
    }

    private void batch(Context ctx, ClassifyImageUseCase useCase, List<ImageInput> images, List<String> names, ClassifyOptions options) {
        if (images.size() > config.maxImagesPerRequest()) {
            throw RestError.invalid("The request has " + images.size() + " images; the limit is "
                    + config.maxImagesPerRequest() + " per request.");
        }
        metrics.batch(images.size());
        List<ClassificationOutcome> outcomes = useCase.classifyBatch(images, options.withTrace(Exchange.trace(ctx)));
        ObjectNode result = Json.object();
        ArrayNode items = result.putArray("items");
        for (int i = 0; i < outcomes.size(); i++) {
            ObjectNode item;
            if (outcomes.get(i) instanceof ClassificationOutcome.Success s) {
                item = Json.object().put("index", i).put("name", names.get(i));
                item.setAll(Json.v1Result(s.result()));
            } else {
                ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) outcomes.get(i);
                RestError e = RestError.of(f.code(), f.message());
                metrics.error(e.cloudflareCode());
                item = Json.object().put("index", i).put("name", names.get(i));
                item.putObject("error").put("code", e.cloudflareCode()).put("message", e.getMessage());
            }
            items.add(item);
        }
        Exchange.json(ctx, 200, RestCloudflareWire.success(result));
    }

    private void multipart(Context ctx, ClassifyImageUseCase useCase, Deadline deadline, Body body) {
        List<Multipart.Part> parts = Multipart.parse(ctx.contentType(), body, config.maxImagesPerRequest(), config.maxImageBytes());
        List<ImageInput> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String topK = null;
        String labelStyle = null;
        for (Multipart.Part p : parts) {
            if (p.isFile()) {
                images.add(ImageInput.of(p.content()));
                names.add(p.filename());
            } else if (p.name().equals("top_k")) {
                topK = p.text();
            } else if (p.name().equals("label_style")) {
                labelStyle = p.text();
            }
        }
        if (images.isEmpty()) {
            throw RestError.missingBody();
        }
        ClassifyOptions options = options(first(topK, ctx.queryParam("top_k")), first(labelStyle, ctx.queryParam("label_style")));
        batch(ctx, useCase, images, names, options.withDeadline(deadline));
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("images[" + i + "]");
        }
        return names;
    }

    static ClassifyOptions options(String topK, String labelStyle) {
        return override(ClassifyOptions.defaults(), topK == null ? null : parseTopK(topK), labelStyle);
    }

    private static ClassifyOptions override(ClassifyOptions options, Integer topK, String labelStyle) {
        try {
            ClassifyOptions o = topK == null ? options : options.withTopK(topK);
            return labelStyle == null ? o : o.withLabelStyle(LabelStyle.parse(labelStyle));
        } catch (ArgusException e) {
            throw RestError.of(e);
        }
    }

    private static int parseTopK(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw RestError.invalid("top_k must be an integer 1..1000, got '" + s + "'.");
        }
    }
}
