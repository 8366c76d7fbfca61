package dev.argus.rest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Errors that Jetty answers itself, before any route runs (a malformed request line, URI or header, headers too
 * large), in Cloudflare's envelope instead of Jetty's HTML page. Cloudflare's code for these is 6003 (invalid
 * request headers); 413 keeps 3006.
 */
final class EnvelopeErrorHandler extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        Object message = request.getAttribute("jakarta.servlet.error.message");
        response.setContentType("application/json");
        response.getOutputStream().write(body(response.getStatus(), message == null ? null : message.toString())
                .getBytes(StandardCharsets.UTF_8));
    }

    static String body(int status, String reason) {
        int code = status == 413 ? 3006 : status == 404 ? 3042 : 6003;
        String message = "The HTTP request is malformed (" + status + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + "); check the request line, URL encoding and headers.";
        return new String(Json.bytes(RestCloudflareWire.failure(code, message)), StandardCharsets.UTF_8);
    }
}
