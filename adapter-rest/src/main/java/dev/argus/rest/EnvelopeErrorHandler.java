package dev.argus.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any route runs (a malformed request line, URI or header, headers too
 * large), in Cloudflare's envelope instead of Jetty's HTML page, whatever the request accepts. Cloudflare's code for
 * these is 6003 (invalid request headers); 413 keeps 3006, and a request Jetty routes nowhere (such as
 * {@code OPTIONS *}) gets the 404 every route-less request gets.
 */
final class EnvelopeErrorHandler extends ErrorHandler {

    EnvelopeErrorHandler() {
        setCacheControl(null); // as every other answer: no Cache-Control
    }

    /** Every method gets the envelope (Jetty's default writes a page for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String body = code == 404 ? notFound(request) : body(code, java.util.Objects.equals(HttpStatus.getMessage(code), message) ? null : message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static String notFound(Request request) {
        RestError e = RestError.notFound(request.getMethod(), request.getHttpURI().getPath());
        return new String(Json.bytes(RestCloudflareWire.failure(e.cloudflareCode(), e.getMessage())), StandardCharsets.UTF_8);
    }

    static String body(int status, String reason) {
        int code = status == 413 ? 3006 : status == 404 ? 3042 : 6003;
        String message = "The HTTP request is malformed (" + status + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + "); check the request line, URL encoding and headers.";
        return new String(Json.bytes(RestCloudflareWire.failure(code, message)), StandardCharsets.UTF_8);
    }
}
