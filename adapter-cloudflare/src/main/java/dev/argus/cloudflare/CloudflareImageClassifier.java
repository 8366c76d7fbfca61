package dev.argus.cloudflare;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.TraceContext;
import dev.argus.ports.model.ModelInfo;
import dev.argus.ports.out.ImageClassifier;
import dev.argus.ports.out.Span;
import dev.argus.ports.service.Tracing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The {@code cloudflare} backend: classifies by calling Cloudflare Workers AI's
 * {@code POST {base}/client/v4/accounts/{account_id}/ai/run/@cf/microsoft/resnet-50} with the raw image and the
 * bearer token, or any server speaking that contract (Argus's own Cloudflare-compatible route).
 *
 * <ul>
 *   <li>Each image is one HTTP call; a batch runs {@link CloudflareConfig#batchConcurrency()} calls at once.</li>
 *   <li>An image Cloudflare refuses (400, 413) fails alone, as its {@link ClassificationOutcome.Failure}; a bad token,
 *       wrong account or model, exhausted retries or an open circuit fail the whole call with an
 *       {@link ArgusException} (see {@link ResponseMapper} for the table).</li>
 *   <li>Results hold what Cloudflare returned (its top 5): top_k above that gets those 5, never padding.</li>
 *   <li>Labels come back in the requested style, with class indices where the label is unambiguous
 *       ({@link CloudflareLabels}).</li>
 *   <li>A traced request's image is a client span, child of the request's, sent as {@code traceparent} (and
 *       {@code tracestate}) with every attempt.</li>
 * </ul>
 */
public final class CloudflareImageClassifier implements ImageClassifier {
    /** The backend name this classifier reports. */
    public static final String BACKEND = "cloudflare";

    private final CloudflareConfig config;
    private final ExecutorService pool;
    private final CloudflareHttp http;
    private final RetryingCaller caller;
    private final BatchRunner batches;
    private final ResultMapper results;
    private final Tracing tracing;
    private final AtomicBoolean closed = new AtomicBoolean();

    public CloudflareImageClassifier(CloudflareConfig config) {
        this(config, Tracing.OFF);
    }

    /** As above, recording the client spans of traced requests with {@code tracing}. */
    public CloudflareImageClassifier(CloudflareConfig config, Tracing tracing) {
        this(config, System::nanoTime, tracing);
    }

    /** With a clock for the circuit breaker and deadlines (tests). */
    CloudflareImageClassifier(CloudflareConfig config, LongSupplier nanoClock) {
        this(config, nanoClock, Tracing.OFF);
    }

    private CloudflareImageClassifier(CloudflareConfig config, LongSupplier nanoClock, Tracing tracing) {
        this.config = Objects.requireNonNull(config, "config");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.pool = Executors.newCachedThreadPool(daemonThreads());
        this.http = new CloudflareHttp(config, pool);
        CircuitBreaker breaker = new CircuitBreaker(config.breakerFailureThreshold(), config.breakerOpenDuration(),
                nanoClock);
        this.caller = new RetryingCaller(config, http, breaker, nanoClock);
        this.batches = new BatchRunner(pool);
        this.results = new ResultMapper(LabelSet.imagenet1k(), BACKEND, config.model());
    }

    @Override
    public List<ClassificationOutcome> classify(List<byte[]> images, ClassifyOptions options) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        if (images.size() == 1) {
            return List.of(classifyOne(images.get(0), options));
        }
        return batches.run(images, config.batchConcurrency(), image -> classifyOne(image, options));
    }

    private ClassificationOutcome classifyOne(byte[] image, ClassifyOptions options) {
        options.deadline().check();
        TraceContext span = options.trace().child(); // NONE when not traced
        long start = System.nanoTime();
        Verdict verdict;
        try {
            verdict = caller.call(image, options.deadline().remainingNanos(), span);
        } catch (ArgusException e) {
            if (tracing.recording(span)) {
                record(span, start, e.code() + ": " + e.getMessage());
            }
            throw e;
        }
        long httpDone = System.nanoTime();
        if (tracing.recording(span)) {
            record(span, start, verdict instanceof Verdict.ImageRefused refused ? refused.code() + ": " + refused.message() : "");
        }
        if (verdict instanceof Verdict.ImageRefused refused) {
            return new ClassificationOutcome.Failure(refused.code(), refused.message());
        }
        return new ClassificationOutcome.Success(
                results.map(((Verdict.Answered) verdict).entries(), options, httpDone - start, httpDone));
    }

    /** The client span of one image's call (its attempts), an error when {@code failure} says why. */
    private void record(TraceContext span, long start, String failure) {
        java.net.URI endpoint = config.endpoint();
        tracing.record(span, "POST", Span.Kind.CLIENT, start, System.nanoTime(), java.util.Map.of("http.request.method", "POST",
                "server.address", endpoint.getHost(), "url.full", endpoint.toString().replace(config.accountId(), "{account_id}")),
                !failure.isEmpty(), failure);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(BACKEND, config.model(), "Cloudflare Workers AI " + config.baseUrl(), Optional.empty(),
                LabelSet.imagenet1k().size());
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ArgusException(ErrorCode.MODEL_UNAVAILABLE, "The Cloudflare backend classifier ("
                    + config.host() + ") has been closed.");
        }
    }

    /** Stops the pool (calls in flight finish within 5 s or are interrupted) and releases connections. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        http.close();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "argus-cloudflare-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "CloudflareImageClassifier[" + config + "]";
    }
}
