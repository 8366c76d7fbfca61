package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.argus.ports.service.Admission;
import dev.argus.ports.service.MemoryBudget;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 2 of the review: a size a client declares is a claim, not a budget. Memory is taken as bytes arrive and
 * reserved in a budget shared by all requests; the images parsed out of a body stop at the image size limit.
 */
class DeclaredSizesTest {
    private static final String GARBAGE_TAIL = "]]]} this is not JSON";
    private static final byte[] IMAGE = "an image the fake classifies".getBytes(StandardCharsets.US_ASCII);

    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aTenByteBodyDeclaredAs64MiBAllocatesLittle() {
        Admission admission = admission(1L << 30);
        MemoryBudget memory = admission.memory();
        byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
        Body[] body = new Body[1];
        long allocated = allocatedBy(() -> body[0] = RequestBody.read(new ByteArrayInputStream(ten), 64L << 20, 64L << 20,
                System.nanoTime() + 10_000_000_000L, admission));
        assertThat(body[0].size()).isEqualTo(10);
        assertThat(allocated).as("bytes allocated reading 10 bytes declared as 64 MiB").isLessThan(256 * 1024);
        assertThat(memory.used()).isEqualTo(Body.CHUNK);
        body[0].close();
        assertThat(memory.used()).isZero();
    }

    @Test
    void bodiesInFlightPastTheBudgetAre429AndGiveTheirBytesBack() {
        Admission admission = admission(3 * Body.CHUNK);
        MemoryBudget memory = admission.memory();
        Body held = RequestBody.read(new ByteArrayInputStream(new byte[2 * Body.CHUNK]), -1, 1 << 20, System.nanoTime() + 10_000_000_000L, admission);
        assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[2 * Body.CHUNK]), -1, 1 << 20,
                System.nanoTime() + 10_000_000_000L, admission))
                .isInstanceOfSatisfying(RestError.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.cloudflareCode()).isEqualTo(3040);
                })
                .hasMessageContaining("argus.rest.max-body-bytes-in-flight");
        assertThat(memory.used()).isEqualTo(2 * Body.CHUNK);
        held.close();
        assertThat(memory.used()).isZero();
    }

    @Test
    void connectionsThatDeclare64MiBAndSendOneByteHoldNoBuffersAndTheServerAnswersOthers() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(java.time.Duration.ofSeconds(4)))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 25; i++) {
                    Socket socket = new Socket("127.0.0.1", s.server.port());
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST " + TestServer.CF_PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    if (i % 2 == 0) {
                        out.write(0xFF);
                    }
                    out.flush();
                    sockets.add(socket);
                }
                Thread.sleep(500);
                assertThat(s.server.bodyBytesInFlight()).as("held for 25 bodies of at most 1 byte").isLessThanOrEqualTo(25L * Body.CHUNK);
                assertThat(s.get("/v2/health/live").statusCode()).isEqualTo(200);
                assertThat(s.post(TestServer.CF_PATH, "image/png", IMAGE).statusCode()).isEqualTo(200);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.server.bodyBytesInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(s.server.bodyBytesInFlight()).as("every abandoned body gave its bytes back").isZero();
        }
    }

    @Test
    void theCloudflareRouteStopsAnImageArrayAtTheImageSizeLimit() {
        StringBuilder b = new StringBuilder("{\"image\":[");
        for (int i = 0; i < 2_000; i++) {
            b.append(i == 0 ? "" : ",").append(i % 256);
        }
        b.append(GARBAGE_TAIL);
        try (TestServer s = new TestServer(RestConfig.defaults().withMaxImageBytes(1000))) {
            HttpResponse<String> r = s.post(TestServer.CF_PATH, "application/json", b.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.body()).contains("more than 1000 bytes").contains("argus.limits.max-bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32})
    void batchesUpToTheLimitStillWork(int n) {
        StringBuilder b = new StringBuilder("{\"images\":[");
        String png = Base64.getEncoder().encodeToString(IMAGE);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append('"').append(png).append('"');
        }
        b.append("]}");
        try (TestServer s = new TestServer()) {
            HttpResponse<String> r = s.post("/v1/classify", "application/json", b.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode items = TestServer.json(r).path("result").path("items");
            assertThat(items).hasSize(n);
            assertThat(s.server.bodyBytesInFlight()).isZero();
        }
    }

    @Test
    void aMultipartBodyIsReadByItsOwnParser() {
        Body body = Body.of(("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"top_k\"\r\n\r\n3\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "ab\r\n--XyY\r\n\r\n--X\r\n--XyZ--\r\nepilogue").getBytes(StandardCharsets.ISO_8859_1));
        List<Multipart.Part> parts = Multipart.parse("multipart/form-data; boundary=\"XyZ\"", body, 32, 1 << 20);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).isFile()).isFalse();
        assertThat(parts.get(0).text()).isEqualTo("3");
        assertThat(parts.get(1).filename()).isEqualTo("a.png");
        // the content holds lines that start like the delimiter but are not one
        assertThat(new String(parts.get(1).content(), StandardCharsets.ISO_8859_1)).isEqualTo("ab\r\n--XyY\r\n\r\n--X");
    }

    @Test
    void streamsOfTheBodyReadEveryChunk() throws Exception {
        Admission admission = admission(1L << 30);
        MemoryBudget memory = admission.memory();
        byte[] data = new byte[3 * Body.CHUNK + 17];
        new java.util.Random(3).nextBytes(data);
        try (Body body = RequestBody.read(new ByteArrayInputStream(data), data.length, 1 << 20, System.nanoTime() + 10_000_000_000L, admission);
             InputStream in = body.stream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(body.toByteArray()).isEqualTo(data);
        }
        assertThat(memory.used()).isZero();
    }

    @Test
    void aClosedBodysChunksServeTheNextBodyAndAChunkThatBecameTheImageIsNotReused() {
        Admission admission = admission(1L << 30);
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] data = new byte[3 * Body.CHUNK];
        RequestBody.read(new ByteArrayInputStream(data), data.length, 1 << 20, deadline, admission).close();
        assertThat(Body.pooled()).isGreaterThanOrEqualTo(3);
        Body[] next = new Body[1];
        long allocated = allocatedBy(() -> next[0] = RequestBody.read(new ByteArrayInputStream(data), data.length, 1 << 20,
                deadline, admission));
        assertThat(allocated).as("bytes allocated reading 3 chunks with 3 pooled").isLessThan(Body.CHUNK);
        next[0].close();

        byte[] exact = new byte[Body.CHUNK];
        java.util.Arrays.fill(exact, (byte) 1);
        byte[] image;
        try (Body body = RequestBody.read(new ByteArrayInputStream(exact), exact.length, 1 << 20, deadline, admission)) {
            image = body.toByteArray();
        }
        byte[] other = new byte[(Body.pooled() + 1) * Body.CHUNK]; // takes every pooled chunk, and one more
        java.util.Arrays.fill(other, (byte) 2);
        RequestBody.read(new ByteArrayInputStream(other), other.length, other.length, deadline, admission).close();
        assertThat(image).as("the image a closed body handed out").isEqualTo(exact);
    }

    @Test
    void aRequestThatCouldNeverFitTheBudgetIs413NotRetryLater() {
        Admission admission = admission(4 * Body.CHUNK);
        MemoryBudget memory = admission.memory();
        try (Body body = RequestBody.read(new ByteArrayInputStream(new byte[Body.CHUNK]), -1, 1 << 20,
                System.nanoTime() + 10_000_000_000L, admission)) {
            assertThatThrownBy(() -> body.reserve(4L * Body.CHUNK))
                    .isInstanceOfSatisfying(RestError.class, e -> assertThat(e.status()).isEqualTo(413))
                    .hasMessageContaining("argus.rest.max-body-bytes-in-flight");
            assertThat(memory.used()).isEqualTo(Body.CHUNK);
        }
        assertThat(memory.used()).isZero();
    }

    @Test
    void theRequestDeadlineReachesTheUseCaseAndATimedOutRequestGivesItsBodyBack() throws Exception {
        try (TestServer s = new TestServer(RestConfig.defaults().withRequestTimeout(java.time.Duration.ofMillis(500)))) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = s.post(TestServer.CF_PATH, "image/png", "BLOCK until the deadline".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.statusCode()).isEqualTo(408);
            assertThat(r.body()).contains("3007").contains("500 ms");
            assertThat(System.nanoTime() - t0).as("answered at the deadline").isLessThan(5_000_000_000L);
            assertThat(s.useCase.lastOptions.deadline().bounded()).isTrue();
            assertThat(s.server.bodyBytesInFlight()).isZero();
            assertThat(s.post(TestServer.CF_PATH, null, "fine".getBytes(StandardCharsets.US_ASCII)).statusCode()).isEqualTo(200);
        }
    }

    private static Admission admission(long bytes) {
        return new Admission(new Admission.Limits("REST requests", 8, "argus.rest.max-concurrent-requests", bytes,
                "argus.rest.max-body-bytes-in-flight", java.time.Duration.ZERO, null));
    }
}
