package dev.argus.cloudflare;

import static dev.argus.cloudflare.FakeCloudflare.DOCUMENTED_RESULT;
import static dev.argus.cloudflare.FakeCloudflare.drop;
import static dev.argus.cloudflare.FakeCloudflare.error;
import static dev.argus.cloudflare.FakeCloudflare.errorWithEmptyResult;
import static dev.argus.cloudflare.FakeCloudflare.ok;
import static dev.argus.cloudflare.FakeCloudflare.raw;
import static dev.argus.cloudflare.FakeCloudflare.slow;
import static dev.argus.cloudflare.FakeCloudflare.truncated;
import static dev.argus.cloudflare.FakeCloudflare.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries, backoff, Retry-After, deadlines, timeouts, dropped connections and the circuit breaker. */
class CloudflareResilienceTest {
    static final byte[] IMAGE = "fake image bytes".getBytes(StandardCharsets.UTF_8);

    FakeCloudflare fake;
    CloudflareImageClassifier classifier;
    /** Added to System.nanoTime(): lets a test jump past the circuit breaker's open period. */
    final AtomicLong skew = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeCloudflare();
    }

    @AfterEach
    void stop() {
        if (classifier != null) {
            classifier.close();
        }
        fake.close();
    }

    void use(CloudflareConfig config) {
        classifier = new CloudflareImageClassifier(config, () -> System.nanoTime() + skew.get());
    }

    ClassificationResult classify() {
        return classifier.classify(List.of(IMAGE), ClassifyOptions.defaults()).get(0).orThrow();
    }

    static void assertCode(Throwable t, ErrorCode code) {
        assertThat(t).isInstanceOf(ArgusException.class);
        assertThat(((ArgusException) t).code()).isEqualTo(code);
    }

    /**
     * Waits (up to {@code within}) until the fake has recorded at least {@code n} requests: it records a request on
     * its own thread, which may not have run yet when the classifier gives up on that request (a timed-out attempt).
     */
    void awaitRequests(int n, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (fake.requests.size() < n && System.nanoTime() - end < 0) {
            Thread.sleep(10);
        }
    }

    @Test
    void serverErrorsAreRetriedUntilAnAnswerComes() {
        use(fake.config());
        fake.then(error(500, 3043, "Internal server error"), raw(502, "text/html", "<html>Bad gateway</html>"),
                errorWithEmptyResult(503, 3040, "Service unavailable"));
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(4);
    }

    @Test
    void cloudflareTimeoutIsRetried() {
        use(fake.config());
        fake.then(error(408, 3007, "Request timeout"));
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void exhaustedRetriesAreARemoteFailureNamingTheLastError() {
        use(fake.config().withRetries(3, Duration.ofMillis(5), Duration.ofMillis(20)));
        fake.otherwise(error(503, 3040, "Service unavailable"));
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("3 attempts")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("Service unavailable");
        assertThat(fake.requests).hasSize(3);
    }

    @Test
    void rateLimitIsRetriedAfterWhatRetryAfterAsks() {
        use(fake.config());
        fake.then(withHeader("Retry-After", "1", error(429, 3021, "Rate limited")));
        long start = System.nanoTime();
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void persistentRateLimitingIsOverloaded() {
        use(fake.config().withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10)));
        fake.otherwise(error(429, 3040, "Capacity temporarily exceeded"));
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.OVERLOADED))
                .hasMessageContaining("rate limiting");
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void retryAfterBeyondTheDeadlineFailsAtOnceInsteadOfWaiting() {
        CloudflareConfig config = fake.config().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
        use(config);
        // One successful call first, so that the timed call below does not include the HTTP client's first connection.
        fake.then(ok(DOCUMENTED_RESULT));
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        fake.otherwise(withHeader("Retry-After", "120", error(429, 3021, "Rate limited")));
        long start = System.nanoTime();
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.OVERLOADED))
                .hasMessageContaining("Retry-After")
                .hasMessageContaining("deadline");
        // Waiting, for Retry-After (120 s) or until the deadline gives up, would take at least the deadline.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(config.deadline());
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void dailyAllocationUsedUpIsOverloadedWithoutRetrying() {
        use(fake.config());
        fake.otherwise(error(429, 3036, "Account limited: daily free allocation used up"));
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.OVERLOADED))
                .hasMessageContaining("daily allocation");
        assertThat(fake.requests).hasSize(1);
    }

    @Test
    void aSlowAnswerTimesOutAndTheRetryGetsTheAnswer() throws Exception {
        Duration slowAnswer = Duration.ofSeconds(3);
        use(fake.config().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)));
        fake.then(slow(slowAnswer, FakeCloudflare.ok(DOCUMENTED_RESULT)));
        long start = System.nanoTime();
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        // Waiting for the slow answer instead of timing the attempt out would take at least its delay.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(slowAnswer);
        awaitRequests(2, Duration.ofSeconds(5));
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void slowAnswersStopAtTheTotalDeadline() throws Exception {
        // Attempts of 600 ms within a 1500 ms deadline: two full attempts, then a third cut short at the deadline.
        CloudflareConfig config = fake.config().withTimeouts(Duration.ofMillis(600), Duration.ofMillis(1500))
                .withRetries(10, Duration.ofMillis(5), Duration.ofMillis(10));
        use(config);
        fake.otherwise(slow(Duration.ofSeconds(3), FakeCloudflare.ok(DOCUMENTED_RESULT)));
        long start = System.nanoTime();
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("no answer within");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // It kept trying until (about) the deadline, and stopped there: one more attempt after the deadline would
        // take a whole attempt timeout beyond it.
        assertThat(took).isGreaterThanOrEqualTo(config.deadline().minusMillis(50))
                .isLessThan(config.deadline().plus(config.attemptTimeout()));
        awaitRequests(3, Duration.ofSeconds(5));
        assertThat(fake.requests.size()).isBetween(3, 4);
    }

    @Test
    void aCallersShortDeadlineIsItsTimeoutNotAFaultOfCloudflare() {
        use(fake.config().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.otherwise(slow(Duration.ofSeconds(2), FakeCloudflare.ok(DOCUMENTED_RESULT)));
        for (int i = 0; i < 3; i++) { // more than the breaker's threshold of consecutive faults
            ClassifyOptions hurried = ClassifyOptions.defaults().withDeadline(dev.argus.domain.Deadline.after(Duration.ofMillis(200)));
            long start = System.nanoTime();
            assertThatThrownBy(() -> classifier.classify(List.of(IMAGE), hurried))
                    .satisfies(t -> assertCode(t, ErrorCode.TIMEOUT))
                    .hasMessageContaining("the request had left");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        // the breaker is still closed: a caller with time gets its answer
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
    }

    @Test
    void aDroppedConnectionIsRetried() {
        use(fake.config());
        fake.then(drop());
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void aTruncatedAnswerIsRetried() {
        use(fake.config());
        fake.then(truncated());
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void nobodyListeningIsARemoteFailureAfterRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        use(fake.config().withBaseUrl(URI.create("http://127.0.0.1:" + port)));
        assertThatThrownBy(this::classify)
                .satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("connection failed")
                .hasMessageContaining("4 attempts");
    }

    @Test
    void circuitOpensAfterConsecutiveFaultsAndThenFailsFastWithoutCallingTheServer() {
        use(fake.config().withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(3, Duration.ofSeconds(30)));
        fake.otherwise(error(503, 3040, "Service unavailable"));
        assertThatThrownBy(this::classify).satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE));
        assertThat(fake.requests).hasSize(3);

        // Failing fast means neither an HTTP attempt nor a backoff sleep. Both wait interruptibly, so the call runs
        // with this thread's interrupt flag set: any such wait would end at once in an "Interrupted while ..."
        // failure instead of the circuit-open refusal.
        Thread.currentThread().interrupt();
        Throwable failFast;
        boolean stillInterrupted;
        try {
            failFast = catchThrowable(this::classify);
        } finally {
            stillInterrupted = Thread.interrupted();
        }
        assertThat(failFast)
                .satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("circuit breaker open")
                .hasMessageContaining("HTTP 503")
                .hasMessageNotContaining("Interrupted");
        assertThat(stillInterrupted).as("the interrupt was not consumed on the way").isTrue();
        assertThat(fake.requests).hasSize(3);
    }

    @Test
    void circuitOpensInTheMiddleOfRetriesAndStopsThem() {
        use(fake.config().withRetries(10, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.otherwise(error(500, 3043, "Internal error"));
        assertThatThrownBy(this::classify).hasMessageContaining("circuit breaker open");
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void afterTheOpenPeriodOneTrialCallGoesThroughAndSuccessClosesTheCircuit() {
        use(fake.config().withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.then(error(503, 3040, "down"), error(503, 3040, "down"));
        assertThatThrownBy(this::classify).satisfies(t -> assertCode(t, ErrorCode.REMOTE_FAILURE));
        assertThatThrownBy(this::classify).hasMessageContaining("circuit breaker open");
        skew.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(4);
    }

    @Test
    void aFailedTrialCallOpensTheCircuitAgainAtOnce() {
        use(fake.config().withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.otherwise(error(503, 3040, "down"));
        assertThatThrownBy(this::classify).hasMessageContaining("circuit breaker open");
        assertThat(fake.requests).hasSize(2);
        skew.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThatThrownBy(this::classify).hasMessageContaining("circuit breaker open");
        assertThat(fake.requests).hasSize(3);
    }

    @Test
    void rateLimitsAndRefusedImagesDoNotOpenTheCircuit() {
        use(fake.config().withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.then(error(429, 3021, "Rate limited"), error(429, 3021, "Rate limited"),
                error(400, 5006, "bad"), error(400, 5006, "bad"), error(400, 5006, "bad"));
        assertThatThrownBy(this::classify).satisfies(t -> assertCode(t, ErrorCode.OVERLOADED));
        for (int i = 0; i < 3; i++) {
            assertThat(classifier.classify(List.of(IMAGE), ClassifyOptions.defaults()).get(0))
                    .isInstanceOf(dev.argus.domain.ClassificationOutcome.Failure.class);
        }
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
    }

    @Test
    void aSuccessResetsTheCountOfConsecutiveFaults() {
        use(fake.config().withRetries(2, Duration.ofMillis(5), Duration.ofMillis(10))
                .withCircuitBreaker(2, Duration.ofSeconds(30)));
        fake.then(error(503, 3040, "down"), ok(DOCUMENTED_RESULT), error(503, 3040, "down"), ok(DOCUMENTED_RESULT));
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(classify().top().label()).isEqualTo("PERSIAN CAT");
        assertThat(fake.requests).hasSize(4);
    }
}
