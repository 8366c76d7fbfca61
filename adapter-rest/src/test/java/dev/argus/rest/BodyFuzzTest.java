package dev.argus.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.argus.domain.ArgusException;

/**
 * The request bodies REST parses before any image is decoded: Cloudflare's JSON ({@code {"image":[...]}}),
 * {@code /v1}'s JSON (base64 or arrays, batches, options), the Open Inference Protocol's JSON with the binary tensor
 * extension, and multipart forms. A finding is any exception other than a refusal ({@link RestError} or
 * {@link ArgusException}), or a refusal with a server-side status (5xx) for what is the caller's input.
 */
class BodyFuzzTest {
    private static final long MAX_IMAGE_BYTES = 1 << 20;

    private static void refusal(RuntimeException e) {
        if (e instanceof RestError r) {
            if (r.status() >= 500) {
                throw new AssertionError("a malformed body got " + r.status(), e);
            }
            return;
        }
        if (e instanceof ArgusException a) {
            RestError r = RestError.of(a);
            if (r.status() >= 500) {
                throw new AssertionError("a malformed body got " + r.status(), e);
            }
            return;
        }
        throw e;
    }

    @FuzzTest(maxDuration = "10m")
    void cloudflareJson(byte[] body) {
        try (Body b = Body.of(body)) {
            ImageJson.parseCloudflare(b, MAX_IMAGE_BYTES);
        } catch (RestError | ArgusException e) {
            refusal(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void v1Json(byte[] body) {
        try (Body b = Body.of(body)) {
            ImageJson.parseV1(b, new ImageJson.Limits(8, MAX_IMAGE_BYTES));
        } catch (RestError | ArgusException e) {
            refusal(e);
        }
    }

    /**
     * The JSON, or with the binary tensor extension the JSON and the binary data after it: the JSON part ends at the
     * first zero byte when there is one (its length is sent as Inference-Header-Content-Length).
     */
    @FuzzTest(maxDuration = "10m")
    void inferenceProtocolJson(byte[] body) {
        String headerLength = null;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                headerLength = Integer.toString(i);
                break;
            }
        }
        try (Body b = Body.of(body)) {
            InferRequest.parse(b, headerLength, new InferJson.Limits(8, 8 * 3 * 224 * 224, 1 << 21), MAX_IMAGE_BYTES);
        } catch (RestError | ArgusException e) {
            refusal(e);
        }
    }

    /** A form with the boundary {@code XyZ}: its parts, headers, names and files. */
    @FuzzTest(maxDuration = "10m")
    void multipartForm(byte[] body) {
        try (Body b = Body.of(body)) {
            Multipart.parse("multipart/form-data; boundary=XyZ", b, 8, MAX_IMAGE_BYTES);
        } catch (RestError | ArgusException e) {
            refusal(e);
        }
    }
}
