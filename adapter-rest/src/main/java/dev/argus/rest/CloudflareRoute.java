package dev.argus.rest;

import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.service.Admission;
import io.javalin.http.Context;

/**
 * {@code POST /client/v4/accounts/{account_id}/ai/run/{model}}: Cloudflare Workers AI's contract, nothing more.
 *
 * <p>Body: the raw image (any or no content type) or JSON {@code {"image": [byte values]}} (by content type, or a
 * body starting with '{'). Always the top 5 in Cloudflare's label style, as Workers AI returns: its input schema for
 * resnet-50 has no options, so other JSON members and query parameters are ignored (as Workers AI ignores them);
 * {@code /v1/classify} is where options live. Model ids: an id that is a served model's alias is answered by that
 * model ({@code @cf/microsoft/resnet-50} by the default model, or a repository's {@code resnet-50}); another
 * well-formed {@code @cf/...} or {@code @hf/...} id is 400/5007 (no such model); anything else is 404/3042 (invalid
 * model id). The account id is not checked.
 */
final class CloudflareRoute {
    static final String PATH = "/client/v4/accounts/{account_id}/ai/run/<model>";
    private final ModelCatalog catalog;
    private final Admission admission;
    private final RestMetrics metrics;
    private final long maxBody;
    private final long maxImageBytes;

    CloudflareRoute(ModelCatalog catalog, Admission admission, RestMetrics metrics, RestConfig config) {
        this.catalog = catalog;
        this.admission = admission;
        this.metrics = metrics;
        this.maxBody = config.maxBodyBytes();
        this.maxImageBytes = config.maxImageBytes();
    }

    void handle(Context ctx) {
        ServedModel model = model(ctx.pathParam("model"));
        try (Admission.Ticket ticket = admission.admit();
             Body body = RequestBody.read(ctx, maxBody, ticket, admission)) {
            Exchange.bytesIn(ctx, body.size());
            if (body.size() == 0) {
                throw RestError.missingBody();
            }
            ImageInput image = RequestBody.isJson(ctx.contentType(), body)
                    ? ImageJson.parseCloudflare(body, maxImageBytes) : ImageInput.of(body.toByteArray());
            metrics.batch(1);
            ClassificationResult r = model.useCase().classify(image, ClassifyOptions.defaults().withDeadline(ticket.deadline())
                    .withTrace(Exchange.trace(ctx)));
            Exchange.json(ctx, 200, RestCloudflareWire.success(RestCloudflareWire.result(r.classifications())));
        }
    }

    private ServedModel model(String id) {
        return catalog.byAlias(id).orElseThrow(() -> {
            if ((id.startsWith("@cf/") || id.startsWith("@hf/")) && id.indexOf('/', 4) > 4) {
                return RestError.noSuchModel(id, served());
            }
            return RestError.invalidModelId(id);
        });
    }

    /** The Cloudflare ids served, for the message. */
    private String served() {
        java.util.List<String> ids = catalog.models().stream().flatMap(m -> m.aliases().stream())
                .filter(a -> a.startsWith("@")).distinct().toList();
        return ids.isEmpty() ? "no Cloudflare model id" : String.join(", ", ids);
    }
}
