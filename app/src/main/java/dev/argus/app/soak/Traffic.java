package dev.argus.app.soak;

import com.google.protobuf.ByteString;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyBatchRequest;
import dev.argus.grpc.v1.ClassifyBatchResponse;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import dev.argus.grpc.v1.Image;
import dev.argus.grpc.v1.ImageOutcome;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's mixed traffic: every way a client reaches the server, good and bad, over REST and gRPC. Each kind sends
 * one request and says how it ended, and whether the kind allows that outcome: a good photo may be answered, refused
 * under load (429/503, RESOURCE_EXHAUSTED/UNAVAILABLE), timed out at its deadline, or failed by an injected engine
 * fault; a bad file must get a 4xx, never a 5xx; a remote model may also fail as its backend times out.
 */
final class Traffic {
    static final String CF_ROUTE = "/client/v4/accounts/soak/ai/run/@cf/microsoft/resnet-50";
    private static final Pattern LABEL = Pattern.compile("\"label\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*(\\d+)");
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

    /** A kind of request: its share of arrivals and how many images it gives the local engine. */
    enum Kind {
        REST_PHOTO("rest photo", 34, 1),
        REST_JSON_NUMBERS("rest numbers-array JSON", 8, 1),
        REST_BAD_FILE("rest bad file", 8, 0),
        REST_SLOW_CLIENT("rest slow client", 3, 1),
        REST_CANCEL("rest client hangs up mid-body", 4, 0),
        REMOTE_MODEL("rest remote model (cloudflare backend)", 6, 0),
        GRPC_UNARY("grpc Classify", 18, 1),
        GRPC_BATCH("grpc ClassifyBatch (3 photos + 1 bad)", 6, 3),
        GRPC_STREAM("grpc ClassifyStream (3 photos)", 6, 3),
        GRPC_CANCEL("grpc cancelled by the client", 7, 0.5);

        final String label;
        final int weight;
        final double engineImages;

        Kind(String label, int weight, double engineImages) {
            this.label = label;
            this.weight = weight;
            this.engineImages = engineImages;
        }

        /** Whether its latency is this server's own: not the remote backend's, nor a client slow on purpose. */
        boolean timed() {
            return this != REMOTE_MODEL && this != REST_SLOW_CLIENT;
        }

        static Kind pick(double u) {
            int total = 0;
            for (Kind k : values()) {
                total += k.weight;
            }
            double x = u * total;
            for (Kind k : values()) {
                x -= k.weight;
                if (x < 0) {
                    return k;
                }
            }
            return GRPC_CANCEL;
        }

        /** Engine images per arrival, over the mix. */
        static double meanEngineImages() {
            double sum = 0;
            int total = 0;
            for (Kind k : values()) {
                sum += k.weight * k.engineImages;
                total += k.weight;
            }
            return sum / total;
        }
    }

    private final String restBase;
    private final int restPort;
    private final ManagedChannel channel;
    private final List<byte[]> photos;
    private final byte[] smallPhoto;
    private final List<byte[]> badFiles;
    private final long deadlineMillis;
    /** The server's deadline and 5 s of grace: a client waits this long for an answer before counting it as never given. */
    private final long answerWithinMillis;
    private final boolean injectedFailures;
    private final HttpClient http;
    /** The first answer's label for each channel and photo: later answers must agree (a reload must not change them). */
    private final Map<String, String> expectedLabels = new ConcurrentHashMap<>();
    /** What no answer may reveal (the code review's finding 7): the backends' addresses, paths, injected fault texts. */
    private final List<String> internals;

    Traffic(String restBase, int restPort, ManagedChannel channel, List<byte[]> photos, long deadlineMillis,
            boolean injectedFailures, List<String> internals) {
        this.internals = List.copyOf(internals);
        this.restBase = restBase;
        this.restPort = restPort;
        this.channel = channel;
        this.photos = photos;
        this.smallPhoto = photos.stream().min(java.util.Comparator.comparingInt(b -> b.length)).orElseThrow();
        this.badFiles = badFiles(photos.get(0));
        this.deadlineMillis = deadlineMillis;
        this.answerWithinMillis = deadlineMillis + 5_000;
        this.injectedFailures = injectedFailures;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Files no decoder accepts: random bytes, a JPEG cut short, nothing at all, a PNG signature with no chunks. */
    static List<byte[]> badFiles(byte[] photo) {
        byte[] random = new byte[3000];
        new java.util.Random(7).nextBytes(random);
        byte[] cut = java.util.Arrays.copyOf(photo, Math.max(64, photo.length * 2 / 5));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0};
        return List.of(random, cut, new byte[0], png);
    }

    Ledger.Result send(Kind kind) {
        try {
            return switch (kind) {
                case REST_PHOTO -> restPhoto();
                case REST_JSON_NUMBERS -> restNumbers();
                case REST_BAD_FILE -> restBad();
                case REST_SLOW_CLIENT -> slowClient();
                case REST_CANCEL -> hangUpMidBody();
                case REMOTE_MODEL -> remoteModel();
                case GRPC_UNARY -> grpcUnary();
                case GRPC_BATCH -> grpcBatch();
                case GRPC_STREAM -> grpcStream();
                case GRPC_CANCEL -> grpcCancel();
            };
        } catch (HttpTimeoutException e) {
            return Ledger.Result.noAnswer("no answer within " + answerWithinMillis + " ms");
        } catch (IOException e) {
            return Ledger.Result.answer("connection failed", false, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Ledger.Result.cancelled();
        } catch (RuntimeException e) {
            return Ledger.Result.answer("client error", false, String.valueOf(e));
        }
    }


    private byte[] photo() {
        return photos.get(ThreadLocalRandom.current().nextInt(photos.size()));
    }

    private HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(URI.create(restBase + path)).timeout(Duration.ofMillis(answerWithinMillis));
    }

    /**
     * Sends and waits for the whole answer at most the deadline and the grace: HttpClient's own timeout covers only the
     * wait for the headers, so a body that stalls would block for ever.
     */
    private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return f.get(answerWithinMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + answerWithinMillis + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    private Ledger.Result restPhoto() throws IOException, InterruptedException {
        byte[] p = photo();
        HttpResponse<String> r = exchange(post(CF_ROUTE).POST(HttpRequest.BodyPublishers.ofByteArray(p)).build());
        return goodPhotoOutcome(r, "rest:" + System.identityHashCode(p));
    }

    private Ledger.Result restNumbers() throws IOException, InterruptedException {
        StringBuilder json = new StringBuilder(smallPhoto.length * 4 + 16).append("{\"image\":[");
        for (int i = 0; i < smallPhoto.length; i++) {
            json.append(i == 0 ? "" : ",").append(smallPhoto[i] & 0xff);
        }
        json.append("]}");
        HttpResponse<String> r = exchange(post(CF_ROUTE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build());
        return goodPhotoOutcome(r, "rest:" + System.identityHashCode(smallPhoto));
    }

    private Ledger.Result restBad() throws IOException, InterruptedException {
        byte[] bad = badFiles.get(ThreadLocalRandom.current().nextInt(badFiles.size()));
        HttpResponse<String> r = exchange(post(CF_ROUTE).POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build());
        int s = r.statusCode();
        String outcome = restOutcome(r);
        boolean ok = (s >= 400 && s < 500 && s != 404) || s == 503;
        return unrevealing(Ledger.Result.answer(outcome, ok, snippet(r.body())), r.body());
    }

    private Ledger.Result remoteModel() throws IOException, InterruptedException {
        HttpResponse<String> r = exchange(post("/v1/models/remote/classify").POST(HttpRequest.BodyPublishers.ofByteArray(photo()))
                .build());
        int s = r.statusCode();
        // the stand-in answers or hangs: a timed-out backend is 502/503/504, an open breaker 503
        boolean ok = s == 200 || s == 429 || s == 408 || s == 502 || s == 503 || s == 504;
        return unrevealing(Ledger.Result.answer(restOutcome(r), ok, snippet(r.body())), r.body());
    }

    private Ledger.Result goodPhotoOutcome(HttpResponse<String> r, String key) {
        int s = r.statusCode();
        String outcome = restOutcome(r);
        if (s == 200) {
            return labelled(outcome, key, first(LABEL, r.body()), r.body());
        }
        return unrevealing(Ledger.Result.answer(outcome, refusalOrDeadline(s) || injected(s, r.body()), snippet(r.body())), r.body());
    }

    private Ledger.Result labelled(String outcome, String key, String label, String body) {
        if (label == null) {
            return Ledger.Result.answer(outcome + " without a label", false, snippet(body));
        }
        String before = expectedLabels.putIfAbsent(key, label);
        if (before != null && !before.equals(label)) {
            return Ledger.Result.answer(outcome + " with another label", false, "was " + before + ", now " + label);
        }
        return Ledger.Result.answer(outcome, true, "");
    }

    /** {@code r} itself, or an unexpected outcome when its text reveals an internal detail. */
    private Ledger.Result unrevealing(Ledger.Result r, String text) {
        for (String secret : internals) {
            if (text != null && text.contains(secret)) {
                return Ledger.Result.answer(r.outcome() + " revealing an internal detail", false, "'" + secret + "' in: " + snippet(text));
            }
        }
        return r;
    }

    private static boolean refusalOrDeadline(int status) {
        return status == 429 || status == 503 || status == 408;
    }

    private boolean injected(int status, String body) {
        return injectedFailures && status == 500 && "3043".equals(first(CODE, body));
    }

    private static String restOutcome(HttpResponse<String> r) {
        String code = first(CODE, r.body());
        return r.statusCode() == 200 || code == null ? Integer.toString(r.statusCode()) : r.statusCode() + "/" + code;
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static String snippet(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    /** Headers at once, then the body in ten pieces over about three seconds, then the answer. */
    private Ledger.Result slowClient() throws IOException {
        byte[] p = photo();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", restPort), 5_000);
            s.setSoTimeout((int) answerWithinMillis);
            // writes have no timeout of their own: a watchdog closes the socket once the answer is overdue
            java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> closeQuietly(s),
                    answerWithinMillis, TimeUnit.MILLISECONDS);
            try {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST " + CF_ROUTE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: "
                            + p.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    int piece = (p.length + 9) / 10;
                    for (int off = 0; off < p.length; off += piece) {
                        out.write(p, off, Math.min(piece, p.length - off));
                        out.flush();
                        sleep(300);
                    }
                } catch (IOException e) {
                    // the server may have answered early (a refusal) and closed its side: read what it said
                }
                String response;
                try {
                    response = readAll(s.getInputStream());
                } catch (IOException e) {
                    response = "";
                }
                int status = statusOf(response);
                if (status < 0) {
                    return Ledger.Result.noAnswer("slow client: " + (s.isClosed() ? "no answer within " + answerWithinMillis
                            + " ms" : "the connection ended without an answer"));
                }
                if (status == 200) {
                    return labelled("200", "rest:" + System.identityHashCode(p), first(LABEL, response), response);
                }
                String code = first(CODE, response);
                return unrevealing(Ledger.Result.answer(status + (code == null ? "" : "/" + code),
                        status == 408 || refusalOrDeadline(status) || injected(status, response), snippet(response)), response);
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    /** Sends the headers and half the body, then resets the connection. */
    private Ledger.Result hangUpMidBody() throws IOException {
        byte[] p = photo();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", restPort), 5_000);
            try {
                s.setSoLinger(true, 0);
                OutputStream out = s.getOutputStream();
                out.write(("POST " + CF_ROUTE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + p.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(p, 0, p.length / 2);
                out.flush();
                sleep(ThreadLocalRandom.current().nextInt(50));
            } catch (IOException e) {
                // the server closed first (a refusal): the client was leaving anyway
            }
        }
        return Ledger.Result.cancelled();
    }

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Stubs.daemon("soak-socket-watchdog"));

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static int statusOf(String response) {
        Matcher m = STATUS_LINE.matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private ClassifierGrpc.ClassifierBlockingStub blocking() {
        return ClassifierGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private static ClassifyRequest request(byte[] image) {
        return ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(image)).setTopK(5).build();
    }

    private Ledger.Result grpcUnary() {
        byte[] p = photo();
        try {
            ClassifyResponse r = blocking().classify(request(p));
            return labelled("grpc OK", "grpc:" + System.identityHashCode(p),
                    r.getClassificationsCount() == 0 ? null : r.getClassifications(0).getLabel(), r.toString());
        } catch (StatusRuntimeException e) {
            return grpcFailure(e);
        }
    }

    private Ledger.Result grpcBatch() {
        ClassifyBatchRequest.Builder b = ClassifyBatchRequest.newBuilder().setTopK(5);
        byte[][] chosen = {photo(), photo(), photo()};
        for (byte[] p : chosen) {
            b.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(p)));
        }
        b.addImages(Image.newBuilder().setEncoded(ByteString.copyFrom(badFiles.get(0))));
        try {
            ClassifyBatchResponse r = blocking().classifyBatch(b.build());
            if (r.getOutcomesCount() != 4) {
                return Ledger.Result.answer("grpc OK with " + r.getOutcomesCount() + " outcomes for 4 images", false, r.toString());
            }
            ImageOutcome bad = r.getOutcomes(3);
            if (!bad.hasError() || bad.getError().getCode() != Status.Code.INVALID_ARGUMENT.value()) {
                return Ledger.Result.answer("grpc OK, the bad image not refused as INVALID_ARGUMENT", false, bad.toString());
            }
            for (int i = 0; i < 3; i++) {
                ImageOutcome o = r.getOutcomes(i);
                if (o.hasError()) {
                    return itemFailure(o.getError());
                }
                Ledger.Result l = labelled("grpc OK", "grpc:" + System.identityHashCode(chosen[i]),
                        o.getResult().getClassificationsCount() == 0 ? null : o.getResult().getClassifications(0).getLabel(), "");
                if (!l.expected()) {
                    return l;
                }
            }
            return Ledger.Result.answer("grpc OK", true, "");
        } catch (StatusRuntimeException e) {
            return grpcFailure(e);
        }
    }

    private Ledger.Result grpcStream() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<String, ClassifyStreamResponse> answers = new ConcurrentHashMap<>();
        byte[][] chosen = {photo(), photo(), photo()};
        StreamObserver<ClassifyStreamRequest> requests = ClassifierGrpc.newStub(channel)
                .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .classifyStream(new StreamObserver<>() {
                    @Override
                    public void onNext(ClassifyStreamResponse r) {
                        answers.put(r.getId(), r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (int i = 0; i < chosen.length; i++) {
            requests.onNext(ClassifyStreamRequest.newBuilder().setId("img-" + i).setRequest(request(chosen[i])).build());
        }
        requests.onCompleted();
        if (!done.await(answerWithinMillis, TimeUnit.MILLISECONDS)) {
            return Ledger.Result.noAnswer("stream: not completed within " + answerWithinMillis + " ms");
        }
        if (failure.get() != null) {
            return grpcFailure(Status.fromThrowable(failure.get()).asRuntimeException());
        }
        if (answers.size() != chosen.length) {
            return Ledger.Result.answer("grpc OK with " + answers.size() + " of 3 answers", false, answers.keySet().toString());
        }
        for (int i = 0; i < chosen.length; i++) {
            ClassifyStreamResponse r = answers.get("img-" + i);
            if (r == null) {
                return Ledger.Result.answer("grpc OK, an answer with an unknown id", false, answers.keySet().toString());
            }
            if (r.hasError()) {
                return itemFailure(r.getError());
            }
            Ledger.Result l = labelled("grpc OK", "grpc:" + System.identityHashCode(chosen[i]),
                    r.getResult().getClassificationsCount() == 0 ? null : r.getResult().getClassifications(0).getLabel(), "");
            if (!l.expected()) {
                return l;
            }
        }
        return Ledger.Result.answer("grpc OK", true, "");
    }

    /** A good photo's failure inside a batch or stream: allowed as the whole call's status would be. */
    private Ledger.Result itemFailure(dev.argus.grpc.v1.Error error) {
        Status.Code code = Status.fromCodeValue(error.getCode()).getCode();
        boolean allowed = REFUSALS.contains(code) || (injectedFailures && code == Status.Code.INTERNAL);
        return unrevealing(Ledger.Result.answer("grpc OK, a photo failed with " + code + "/" + error.getReason(), allowed,
                error.getMessage()), error.getMessage());
    }

    /** Starts a call and cancels it a few milliseconds later, as a client whose user gave up. */
    private Ledger.Result grpcCancel() {
        Context.CancellableContext ctx = Context.current().withCancellation();
        ctx.run(() -> ClassifierGrpc.newStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .classify(request(photo()), new StreamObserver<>() {
                    @Override
                    public void onNext(ClassifyResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        sleep(ThreadLocalRandom.current().nextInt(1, 80));
        ctx.cancel(null);
        return Ledger.Result.cancelled();
    }

    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED);

    /**
     * A failed call of good photos. A gRPC client cannot tell the server's DEADLINE_EXCEEDED at the deadline (the server
     * ends the call there, as REST answers 408) from its own: both count as timed out at the deadline, an answer the
     * kind allows. A handler that hangs past its call shows as threads that grow (the flatness check), not here.
     */
    private Ledger.Result grpcFailure(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        boolean ok = REFUSALS.contains(code) || (injectedFailures && code == Status.Code.INTERNAL);
        return unrevealing(Ledger.Result.answer("grpc " + code, ok, String.valueOf(e.getStatus().getDescription())),
                e.getStatus().getDescription());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
