package dev.argus.cloudflare;

import static dev.argus.cloudflare.FakeCloudflare.DOCUMENTED_RESULT;
import static dev.argus.cloudflare.FakeCloudflare.error;
import static dev.argus.cloudflare.FakeCloudflare.errorWithEmptyResult;
import static dev.argus.cloudflare.FakeCloudflare.ok;
import static dev.argus.cloudflare.FakeCloudflare.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelSet;
import dev.argus.domain.LabelStyle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests, answers, labels, top_k, per-image failures, batches and lifecycle against the fake Cloudflare. */
class CloudflareImageClassifierTest {
    static final byte[] IMAGE = "fake image bytes".getBytes(StandardCharsets.UTF_8);

    FakeCloudflare fake;
    CloudflareImageClassifier classifier;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeCloudflare();
        classifier = new CloudflareImageClassifier(fake.config());
    }

    @AfterEach
    void stop() {
        classifier.close();
        fake.close();
    }

    static byte[] image(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    ClassificationResult one(ClassifyOptions options) {
        List<ClassificationOutcome> out = classifier.classify(List.of(IMAGE), options);
        assertThat(out).hasSize(1);
        return out.get(0).orThrow();
    }

    ClassificationOutcome.Failure failure(FakeCloudflare.Reply reply) {
        fake.then(reply);
        ClassificationOutcome out = classifier.classify(List.of(IMAGE), ClassifyOptions.defaults()).get(0);
        assertThat(out).isInstanceOf(ClassificationOutcome.Failure.class);
        return (ClassificationOutcome.Failure) out;
    }

    @Test
    void postsTheRawImageWithTheBearerTokenToTheAccountsModelRoute() {
        one(ClassifyOptions.defaults());
        assertThat(fake.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo(FakeCloudflare.ROUTE);
            assertThat(r.authorization()).isEqualTo("Bearer " + FakeCloudflare.TOKEN);
            assertThat(r.contentType()).isEqualTo("application/octet-stream");
            assertThat(r.body()).isEqualTo(IMAGE);
        });
    }

    @Test
    void readsTheDocumentedAnswerWithCloudflareLabelsAndClassIndices() {
        ClassificationResult r = one(ClassifyOptions.defaults());
        LabelSet imagenet = LabelSet.imagenet1k();
        assertThat(r.classifications()).extracting(Classification::label)
                .containsExactly("PERSIAN CAT", "PEKINESE", "FEATHER BOA", "POMERANIAN", "JAPANESE SPANIEL");
        assertThat(r.classifications()).extracting(Classification::score)
                .containsExactly(0.4071, 0.2344, 0.2256, 0.0333, 0.0242);
        assertThat(r.classifications()).allSatisfy(c -> assertThat(imagenet.label(c.classIndex(), LabelStyle.CLOUDFLARE))
                .isEqualTo(c.label()));
        assertThat(r.top().classIndex()).isEqualTo(283);
        assertThat(r.backend()).isEqualTo("cloudflare");
        assertThat(r.model()).isEqualTo(FakeCloudflare.MODEL);
        assertThat(r.timings().inferenceNanos()).isPositive();
    }

    @Test
    void writesFullImagenetNamesWhenThatStyleIsAsked() {
        ClassificationResult r = one(ClassifyOptions.defaults().withLabelStyle(LabelStyle.IMAGENET));
        assertThat(r.classifications()).extracting(Classification::label)
                .containsExactly("Persian cat", "Pekinese, Pekingese, Peke", "feather boa, boa", "Pomeranian",
                        "Japanese spaniel");
    }

    @Test
    void ambiguousLabelsGetNoClassIndexAndUnknownLabelsPassThrough() {
        fake.otherwise(ok("[{\"label\":\"CRANE\",\"score\":0.5},{\"label\":\"MAILLOT\",\"score\":0.2},"
                + "{\"label\":\"cardigan\",\"score\":0.1},{\"label\":\"Not An Imagenet Class\",\"score\":0.05}]"));
        ClassificationResult cf = one(ClassifyOptions.defaults());
        assertThat(cf.classifications()).extracting(Classification::classIndex).containsOnly(-1);
        assertThat(cf.classifications()).extracting(Classification::label)
                .containsExactly("CRANE", "MAILLOT", "CARDIGAN", "NOT AN IMAGENET CLASS");
        ClassificationResult full = one(ClassifyOptions.defaults().withLabelStyle(LabelStyle.IMAGENET));
        // Both cranes are called just "crane"; the maillots and cardigans differ, so the label is left as sent.
        assertThat(full.classifications()).extracting(Classification::label)
                .containsExactly("crane", "MAILLOT", "cardigan", "Not An Imagenet Class");
    }

    @Test
    void topKBelowWhatCameBackKeepsTheBest() {
        assertThat(one(ClassifyOptions.defaults().withTopK(2)).classifications()).extracting(Classification::label)
                .containsExactly("PERSIAN CAT", "PEKINESE");
    }

    @Test
    void topKAboveWhatCameBackReturnsWhatCloudflareGaveWithoutPadding() {
        assertThat(one(ClassifyOptions.defaults().withTopK(1000)).classifications()).hasSize(5);
        assertThat(one(ClassifyOptions.defaults().withTopK(7)).classifications()).hasSize(5);
    }

    @Test
    void sortsBestFirstWhateverOrderTheServerUsed() {
        fake.otherwise(ok("[{\"label\":\"POMERANIAN\",\"score\":0.1},{\"label\":\"PERSIAN CAT\",\"score\":0.6}]"));
        assertThat(one(ClassifyOptions.defaults()).classifications()).extracting(Classification::label)
                .containsExactly("PERSIAN CAT", "POMERANIAN");
    }

    @Test
    void badInputFailsThatImageAloneAsInvalidInput() {
        fake.answerBy(body -> new String(body, StandardCharsets.UTF_8).equals("bad")
                ? error(400, 5006, "Error: required properties at '/' are 'image'") : ok(DOCUMENTED_RESULT));
        List<ClassificationOutcome> out = classifier.classify(List.of(image("good"), image("bad"), image("good")),
                ClassifyOptions.defaults());
        assertThat(out.get(0)).isInstanceOf(ClassificationOutcome.Success.class);
        assertThat(out.get(1)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(f.message()).contains("5006", "required properties");
        });
        assertThat(out.get(2)).isInstanceOf(ClassificationOutcome.Success.class);
        assertThat(fake.requests).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {3003, 5006, 0})
    void anyBadRequestExceptModelAndHeaderCodesIsTheCallersInvalidInput(int code) {
        ClassificationOutcome.Failure f = failure(errorWithEmptyResult(400, code, "Bad input"));
        assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(fake.requests).hasSize(1);
    }

    @Test
    void requestTooLargeFailsThatImageAsInputTooLarge() {
        ClassificationOutcome.Failure f = failure(error(413, 3006, "Request is too large"));
        assertThat(f.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
        assertThat(f.message()).contains("too large", "3006");
    }

    @Test
    void tooLargeWithoutAnEnvelopeFromAProxyIsStillInputTooLarge() {
        ClassificationOutcome.Failure f = failure(raw(413, "text/html", "<html>413 Request Entity Too Large</html>"));
        assertThat(f.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void rejectedTokenIsAConfigurationErrorThatNamesTheFixAndNeverTheToken(int status) {
        fake.otherwise(error(status, 10000, "Authentication error"));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("Cloudflare rejected the API token")
                .hasMessageContaining("CLOUDFLARE_API_TOKEN")
                .hasMessageContaining("Workers AI permission")
                .hasMessageNotContaining(FakeCloudflare.TOKEN);
        assertThat(fake.requests).hasSize(1);
    }

    @Test
    void invalidRequestHeadersPointAtTheToken() {
        fake.otherwise(error(400, 6003, "Invalid request headers"));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("API token");
    }

    @Test
    void aServerEchoingTheTokenHasItMaskedInOurMessage() {
        fake.otherwise(error(401, 10000, "bad token " + FakeCloudflare.TOKEN));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .hasMessageContaining("bad token ****")
                .hasMessageNotContaining(FakeCloudflare.TOKEN);
    }

    @Test
    void unknownModelIsAConfigurationErrorNamingBaseUrlAccountAndModel() {
        fake.otherwise(error(400, 5007, "No such model @cf/microsoft/resnet-50"));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining(FakeCloudflare.MODEL)
                .hasMessageContaining(FakeCloudflare.ACCOUNT)
                .hasMessageContaining("base URL");
    }

    @Test
    void notFoundWithOrWithoutEnvelopeIsAConfigurationError() {
        fake.then(error(404, 3042, "Invalid model ID"), raw(404, "text/plain", "Not Found"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
        }
    }

    @Test
    void malformedJsonInASuccessIsARemoteFailureAndNotRetried() {
        fake.otherwise(raw(200, "{\"result\":[{\"label\":\"PERSIAN CAT\",\"score\":0.4"));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("not Cloudflare's envelope");
        assertThat(fake.requests).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"result\":{},\"success\":true,\"errors\":[],\"messages\":[]}",
        "{\"result\":null,\"success\":true,\"errors\":[],\"messages\":[]}",
        "{\"result\":[],\"success\":true,\"errors\":[],\"messages\":[]}",
        "{\"result\":[{\"label\":\"PERSIAN CAT\"}],\"success\":true}",
        "{\"result\":[{\"label\":\"PERSIAN CAT\",\"score\":1.5}],\"success\":true}",
        "{\"result\":[{\"label\":\"PERSIAN CAT\",\"score\":0.4}],\"success\":\"yes\"}",
        "[1, 2, 3]"
    })
    void aSuccessStatusWithoutAUsableResultIsARemoteFailure(String body) {
        fake.otherwise(raw(200, body));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE));
    }

    @Test
    void unexpectedStatusIsARemoteFailure() {
        fake.otherwise(error(418, 1, "I'm a teapot"));
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                .hasMessageContaining("418");
    }

    @Test
    void batchRunsAtMostTheConfiguredCallsAtOnceAndKeepsOrder() {
        classifier.close();
        classifier = new CloudflareImageClassifier(fake.config().withBatchConcurrency(3));
        String[] labels = {"PERSIAN CAT", "PEKINESE", "FEATHER BOA", "POMERANIAN", "JAPANESE SPANIEL", "TABBY",
            "TIGER CAT", "EGYPTIAN CAT", "LYNX", "LEOPARD"};
        Function<byte[], FakeCloudflare.Reply> echo = body -> FakeCloudflare.slow(java.time.Duration.ofMillis(60),
                ok("[{\"label\":\"" + labels[Integer.parseInt(new String(body, StandardCharsets.UTF_8))]
                        + "\",\"score\":0.9}]"));
        fake.answerBy(echo);
        List<byte[]> images = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            images.add(image(Integer.toString(i)));
        }
        List<ClassificationOutcome> out = classifier.classify(images, ClassifyOptions.defaults());
        assertThat(out).extracting(o -> o.orThrow().top().label()).containsExactly(labels);
        assertThat(fake.maxInFlight.get()).isBetween(2, 3);
    }

    @Test
    void aBackendFailureOnAnyImageFailsTheWholeBatch() {
        fake.answerBy(body -> new String(body, StandardCharsets.UTF_8).equals("b")
                ? error(401, 10000, "Authentication error") : ok(DOCUMENTED_RESULT));
        assertThatThrownBy(() -> classifier.classify(List.of(image("a"), image("b"), image("c")),
                ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }

    @Test
    void reusesOnePooledConnectionForSequentialCalls() {
        for (int i = 0; i < 5; i++) {
            one(ClassifyOptions.defaults());
        }
        assertThat(fake.requests).extracting(FakeCloudflare.Request::clientPort).containsOnly(
                fake.requests.get(0).clientPort());
    }

    @Test
    void reportsWhatItServes() {
        assertThat(classifier.info().backend()).isEqualTo("cloudflare");
        assertThat(classifier.info().model()).isEqualTo(FakeCloudflare.MODEL);
        assertThat(classifier.info().engine()).isEqualTo("Cloudflare Workers AI " + fake.baseUrl());
        assertThat(classifier.info().preprocess()).isEmpty();
        assertThat(classifier.info().labelCount()).isEqualTo(1000);
        assertThat(fake.requests).isEmpty();
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() {
        classifier.close();
        classifier.close();
        assertThatThrownBy(() -> one(ClassifyOptions.defaults()))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("closed");
        assertThat(fake.requests).isEmpty();
    }
}
