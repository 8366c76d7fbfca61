package dev.argus.rest;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;

/**
 * An error answer: HTTP status, Cloudflare error code and a message for the caller. Every error the server sends is
 * made here, from an {@link ErrorCode} ({@link #of(ArgusException)}) or from a transport-level condition that has no
 * domain code (missing body, unknown model, authentication).
 */
final class RestError extends RuntimeException {
    private final int status;
    private final int cloudflareCode;
    private final ErrorCode code; // null for transport-level conditions

    RestError(int status, int cloudflareCode, String message) {
        this(status, cloudflareCode, null, message);
    }

    private RestError(int status, int cloudflareCode, ErrorCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.cloudflareCode = cloudflareCode;
        this.code = code;
    }

    /** The domain code this error was made from, if any. */
    java.util.Optional<ErrorCode> code() {
        return java.util.Optional.ofNullable(code);
    }

    int status() {
        return status;
    }

    int cloudflareCode() {
        return cloudflareCode;
    }

    /**
     * An error answer for a domain code, with the status and Cloudflare code of {@link RestCloudflareWire#status} (the
     * resulting table is in adapter-rest/README.md, "Errors"). A server-side
     * failure's message (which may name hosts, files and library internals) goes to the log under a reference; the
     * caller gets a fixed message with that reference.
     */
    static RestError of(ErrorCode code, String message) {
        return of(code, message, null);
    }

    private static RestError of(ErrorCode code, String message, Throwable cause) {
        RestCloudflareWire.Status wire = RestCloudflareWire.status(code);
        return switch (code) {
            case INVALID_INPUT, INPUT_TOO_LARGE, OVERLOADED, TIMEOUT -> new RestError(wire.http(), wire.code(), code, message);
            case MODEL_UNAVAILABLE, INFERENCE_FAILED, CONFIGURATION, REMOTE_FAILURE -> logged(wire, code, message, cause);
        };
    }

    private static final System.Logger LOG = System.getLogger("dev.argus.rest.errors");

    private static RestError logged(RestCloudflareWire.Status wire, ErrorCode code, String detail, Throwable cause) {
        String reference = ErrorCode.newReference();
        LOG.log(System.Logger.Level.WARNING, wire.http() + " " + code + " (reference " + reference + "): " + detail, cause);
        return new RestError(wire.http(), wire.code(), code, code.publicMessage(reference));
    }

    static RestError of(ArgusException e) {
        return of(e.code(), e.getMessage(), e);
    }

    static RestError invalid(String message) {
        return of(ErrorCode.INVALID_INPUT, message);
    }

    /** No body at all: Cloudflare's "incomplete request". */
    static RestError missingBody() {
        return new RestError(400, 3003, "The request has no body: send the image file as the body, or JSON "
                + "{\"image\": [byte values 0..255]}.");
    }

    static RestError tooLarge(long limit) {
        return of(ErrorCode.INPUT_TOO_LARGE, "The request body exceeds the limit of " + limit + " bytes ("
                + limit / (1024 * 1024) + " MiB). Send a smaller image.");
    }

    /** A well-formed model id ({@code @cf/author/name}) that this server does not serve. */
    static RestError noSuchModel(String model, String served) {
        return new RestError(400, 5007, "No such model " + model + ": this server serves " + served + ".");
    }

    /** Something that is not a model id at all. */
    static RestError invalidModelId(String model) {
        return new RestError(404, 3042, "Invalid model ID '" + model + "': model ids look like @cf/microsoft/resnet-50.");
    }

    static RestError notFound(String method, String path) {
        return new RestError(404, 3042, "No route " + method + " " + path + ". See /docs for the routes this server has.");
    }

    /**
     * A path a route serves, asked with a method it does not answer. 10405 is Cloudflare's API code for a method not
     * allowed; the {@code Allow} header lists the methods.
     */
    static RestError methodNotAllowed(String method, String path, java.util.List<String> allowed) {
        return new RestError(405, 10405, "Method " + method + " is not allowed on " + path + "; it answers "
                + String.join(", ", allowed) + ".");
    }

    /** Open Inference Protocol: a model name or version this server does not serve. */
    static RestError notFoundModel(String message) {
        return new RestError(404, 3042, message);
    }

    static RestError unauthorized() {
        return new RestError(401, 10000, "Authentication error: send 'Authorization: Bearer <token>' with a valid token.");
    }

    static RestError notReady() {
        return new RestError(503, 3040, "The model is not ready yet.");
    }

    static RestError internal() {
        return new RestError(500, 3043, "Internal error while handling the request; it has been logged.");
    }
}
