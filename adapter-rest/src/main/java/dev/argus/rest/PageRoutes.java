package dev.argus.rest;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The self-contained pages: demo ({@code /}), API docs ({@code /docs}) and the OpenAPI document. Nothing external. */
final class PageRoutes {
    private final byte[] demo = resource("demo.html");
    private final byte[] docs = resource("docs.html");
    private final byte[] openapi = resource("openapi.json");

    void demo(Context ctx) {
        Exchange.reply(ctx, 200, "text/html; charset=utf-8", demo);
    }

    void docs(Context ctx) {
        Exchange.reply(ctx, 200, "text/html; charset=utf-8", docs);
    }

    void openapi(Context ctx) {
        Exchange.reply(ctx, 200, "application/json", openapi);
    }

    private static byte[] resource(String name) {
        try (InputStream in = PageRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the adapter-rest jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
