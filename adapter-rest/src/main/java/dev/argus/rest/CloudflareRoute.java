package dev.argus.rest;

import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.service.Admission;
import io.javalin.http.Context;

/**
 * {@code POST /client/v4/accounts/{account_id}/ai/run/{model}}: Cloudflare Workers AI's contract, nothing more.
 *
 * <p>Body: the raw image (any or no content type) or JSON {@code {"image": [byte values]}} (by content type, or a
 * body starting with '{'). Always the top 5 in Cloudflare's label style, as Workers AI returns: its input schema for
 * resnet-50 has no options, so other JSON members and query parameters are ignored (as Workers AI ignores them);
 * {@code /v1/classify} is where options live. Model ids: the configured one is served; another well-formed
 * {@code @cf/...} or {@code @hf/...} id is 400/5007 (no such model); anything else is 404/3042 (invalid model id).
 * The account id is not checked.
 */
final class CloudflareRoute {
    static final String PATH = "/client/v4/accounts/{account_id}/ai/run/<model>";
    private final ClassifyImageUseCase useCase;
    private final Admission admission;
    private final RestMetrics metrics;
    private final String servedModel;
    private final long maxBody;
    private final long maxImageBytes;

    CloudflareRoute(ClassifyImageUseCase useCase, Admission admission, RestMetrics metrics, RestConfig config) {
        this.useCase = useCase;
        this.admission = admission;
        this.metrics = metrics;
        this.servedModel = config.cloudflareModel();
        this.maxBody = config.maxBodyBytes();
        this.maxImageBytes = config.maxImageBytes();
    }

    void handle(Context ctx) {
        checkModel(ctx.pathParam("model"));
        try (Admission.Ticket ticket = admission.admit();
             Body body = RequestBody.read(ctx, maxBody, ticket, admission)) {
            Exchange.bytesIn(ctx, body.size());
            if (body.size() == 0) {
                throw RestError.missingBody();
            }
            ImageInput image = RequestBody.isJson(ctx.contentType(), body)
                    ? ImageJson.parseCloudflare(body, maxImageBytes) : ImageInput.of(body.toByteArray());
            metrics.batch(1);
            ClassificationResult r = useCase.classify(image, ClassifyOptions.defaults().withDeadline(ticket.deadline()));
            Exchange.json(ctx, 200, Json.success(Json.labelsAndScores(r.classifications())));
        }
    }

    private void checkModel(String model) {
        if (model.equals(servedModel)) {
            return;
        }
        if ((model.startsWith("@cf/") || model.startsWith("@hf/")) && model.indexOf('/', 4) > 4) {
            throw RestError.noSuchModel(model, servedModel);
        }
        throw RestError.invalidModelId(model);
    }
}
