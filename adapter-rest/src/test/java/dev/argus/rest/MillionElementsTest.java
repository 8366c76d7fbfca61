package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 of the review: counts are checked as elements are parsed, never after every element was built. Every route
 * that takes several images refuses a body of a million elements at the element after the limit (32). Each body ends
 * in bytes that are not valid at all, so a parser that read on to the end would answer "malformed" instead of naming
 * the limit. (gRPC's ClassifyBatch: GrpcFloodTest.)
 */
class MillionElementsTest {
    private static final int MILLION = 1_000_000;
    private static final String GARBAGE_TAIL = "]]]} this is not JSON";

    private static void assertLimitNamed(HttpResponse<String> r, String... phrases) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        String message = r.body();
        for (String p : phrases) {
            assertThat(message).contains(p);
        }
        assertThat(message).doesNotContain("malformed").doesNotContain("not valid JSON");
    }


    @Test
    void v1RefusesAMillionJsonImagesAfterTheLimit() {
        StringBuilder b = new StringBuilder("{\"images\":[");
        for (int i = 0; i < MILLION; i++) {
            b.append(i == 0 ? "" : ",").append("[0]");
        }
        b.append(GARBAGE_TAIL);
        try (TestServer s = new TestServer()) {
            assertLimitNamed(s.post("/v1/classify", "application/json", b.toString().getBytes(StandardCharsets.US_ASCII)),
                    "more than 32 images");
            assertThat(s.useCase.calls.get()).isZero();
        }
    }


    @Test
    void v1RefusesAMillionMultipartFilesAfterTheLimit() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] part = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n\r\nx\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < MILLION / 10; i++) {
            body.writeBytes(part);
        }
        // no closing delimiter: a parser that read to the end would call the body cut off
        try (TestServer s = new TestServer()) {
            assertLimitNamed(s.post("/v1/classify", "multipart/form-data; boundary=b", body.toByteArray()), "more than 32 files");
        }
    }


    @Test
    void theInferenceProtocolRefusesAMillionJsonStringsAfterTheLimit() {
        StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1000000],\"data\":[");
        for (int i = 0; i < MILLION; i++) {
            b.append(i == 0 ? "\"\"" : ",\"\"");
        }
        b.append(GARBAGE_TAIL);
        try (TestServer s = new TestServer()) {
            assertLimitNamed(s.post("/v2/models/fake-net/infer", "application/json", b.toString().getBytes(StandardCharsets.US_ASCII)),
                    "more than 32 BYTES elements");
        }
    }


    @Test
    void theInferenceProtocolRefusesAMillionBinaryElementsAfterTheLimit() {
        byte[] header = "{\"inputs\":[{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[1000000],\"parameters\":{\"binary_data_size\":4000000}}]}"
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(header.length + 4 * MILLION).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        for (int i = 0; i < MILLION; i++) {
            body.putInt(0);
        }
        try (TestServer s = new TestServer()) {
            HttpResponse<String> r = s.send(s.request("/v2/models/fake-net/infer").header(InferRequest.HEADER_LENGTH, String.valueOf(header.length))
                    .header("Content-Type", "application/octet-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.array())).build());
            assertLimitNamed(r, "more than 32 elements");
        }
    }


    @Test
    void theInferenceProtocolRefusesATreeOfAMillionNodesOutsideTheData() {
        StringBuilder b = new StringBuilder("{\"parameters\":{\"x\":[");
        for (int i = 0; i < MILLION; i++) {
            b.append(i == 0 ? "0" : ",0");
        }
        b.append(GARBAGE_TAIL);
        try (TestServer s = new TestServer()) {
            assertLimitNamed(s.post("/v2/models/fake-net/infer", "application/json", b.toString().getBytes(StandardCharsets.US_ASCII)),
                    "more than 4096 JSON values outside the inputs' data");
        }
    }

}
