package dev.argus.app.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.argus.cloudflare.CloudflareImageClassifier;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.LabelStyle;
import dev.argus.rest.RestConfig;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestImages;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our client and our server speak the same protocol: the cloudflare backend pointed at Argus's own
 * Cloudflare-compatible route gives, for every probe image, the answer the local backend gives when called directly:
 * the same labels, the same scores (to 1e-9: the scores cross JSON as shortest round-trip doubles), the same class
 * indices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudflareCompatibilityIT {
    ArgusCloudflareRoute server;
    CloudflareImageClassifier remote;

    @BeforeAll
    void start() {
        server = ArgusCloudflareRoute.probe();
        remote = new CloudflareImageClassifier(server.clientConfig(ArgusCloudflareRoute.TOKEN));
    }

    @AfterAll
    void stop() {
        if (remote != null) {
            remote.close();
        }
        if (server != null) {
            server.close();
        }
    }

    Stream<ProbeCase> probeCases() {
        return ProbeCase.all().stream();
    }

    static ClassificationResult one(dev.argus.ports.out.ImageClassifier c, byte[] image, ClassifyOptions options) {
        return c.classify(List.of(image), options).get(0).orThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeCases")
    void remoteAnswerEqualsTheLocalBackendsAnswer(ProbeCase probe) {
        ClassificationResult local = one(server.argus.classifier(), probe.bytes(), ClassifyOptions.defaults());
        ClassificationResult viaCloudflareProtocol = one(remote, probe.bytes(), ClassifyOptions.defaults());
        assertSameAnswer(viaCloudflareProtocol, local);
        assertThat(viaCloudflareProtocol.top().classIndex()).isEqualTo(probe.expectedClass());
        assertThat(viaCloudflareProtocol.backend()).isEqualTo("cloudflare");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeCases")
    void imagenetLabelStyleIsRebuiltFromTheCloudflareLabels(ProbeCase probe) {
        ClassifyOptions full = ClassifyOptions.defaults().withLabelStyle(LabelStyle.IMAGENET);
        assertSameAnswer(one(remote, probe.bytes(), full), one(server.argus.classifier(), probe.bytes(), full));
    }

    @Test
    void topKBelowFiveMatchesAndAboveFiveGetsTheFiveTheRouteReturns() {
        byte[] image = ProbeCase.all().get(0).bytes();
        assertSameAnswer(one(remote, image, ClassifyOptions.defaults().withTopK(2)),
                one(server.argus.classifier(), image, ClassifyOptions.defaults().withTopK(2)));
        ClassificationResult ten = one(remote, image, ClassifyOptions.defaults().withTopK(10));
        assertSameAnswer(ten, one(server.argus.classifier(), image, ClassifyOptions.defaults()));
    }

    @Test
    void refusedImagesFailAloneWithTheSameCodesAsLocally() {
        byte[] good = ProbeCase.all().get(0).bytes();
        List<byte[]> batch = List.of(good, TestImages.textFile(), TestImages.truncatedJpeg(),
                TestImages.pngHeaderOnly(100_000, 100_000), good);
        List<ClassificationOutcome> local = server.argus.classifier().classify(batch, ClassifyOptions.defaults());
        List<ClassificationOutcome> viaRoute = remote.classify(batch, ClassifyOptions.defaults());
        assertThat(viaRoute).hasSize(local.size());
        for (int i = 0; i < local.size(); i++) {
            if (local.get(i) instanceof ClassificationOutcome.Failure lf) {
                assertThat(viaRoute.get(i)).isInstanceOfSatisfying(ClassificationOutcome.Failure.class,
                        rf -> assertThat(rf.code()).isEqualTo(lf.code()));
            } else {
                // the route classifies one image per request: compare with a local call of one image, since an engine
                // may round a batch of two differently from a single image (which kernels, differs between CPUs)
                assertSameAnswer(viaRoute.get(i).orThrow(), one(server.argus.classifier(), batch.get(i), ClassifyOptions.defaults()));
            }
        }
        assertThat(viaRoute).extracting(o -> o instanceof ClassificationOutcome.Failure f ? f.code() : null)
                .containsExactly(null, ErrorCode.INVALID_INPUT, ErrorCode.INVALID_INPUT, ErrorCode.INPUT_TOO_LARGE, null);
    }

    @Test
    void aServerRequiringAnotherTokenIsAConfigurationError() {
        try (ArgusCloudflareRoute guarded = ArgusCloudflareRoute.probe(
                RestConfig.defaults().withAuthTokens(Set.of("the-right-token")));
             CloudflareImageClassifier wrong = new CloudflareImageClassifier(guarded.clientConfig("a-wrong-token"));
             CloudflareImageClassifier right = new CloudflareImageClassifier(guarded.clientConfig("the-right-token"))) {
            byte[] image = ProbeCase.all().get(0).bytes();
            assertThatThrownBy(() -> one(wrong, image, ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("CLOUDFLARE_API_TOKEN")
                    .hasMessageNotContaining("a-wrong-token");
            assertThat(one(right, image, ClassifyOptions.defaults()).top().classIndex())
                    .isEqualTo(ProbeCase.all().get(0).expectedClass());
        }
    }

    @Test
    void aModelTheServerDoesNotServeIsAConfigurationError() {
        try (CloudflareImageClassifier other = new CloudflareImageClassifier(
                server.clientConfig(ArgusCloudflareRoute.TOKEN).withModel("@cf/meta/llama-3-8b-instruct"))) {
            assertThatThrownBy(() -> one(other, ProbeCase.all().get(0).bytes(), ClassifyOptions.defaults()))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .hasMessageContaining("@cf/meta/llama-3-8b-instruct");
        }
    }

    static void assertSameAnswer(ClassificationResult actual, ClassificationResult expected) {
        List<Classification> a = actual.classifications();
        List<Classification> e = expected.classifications();
        assertThat(a).extracting(Classification::label).containsExactlyElementsOf(
                e.stream().map(Classification::label).toList());
        for (int i = 0; i < e.size(); i++) {
            assertThat(a.get(i).score()).as("score %d", i).isCloseTo(e.get(i).score(), within(1e-9));
            // Index -1 only where the Cloudflare label is shared by two classes (CRANE, CARDIGAN, MAILLOT).
            int expectedIndex = Set.of(134, 517, 264, 474, 638, 639).contains(e.get(i).classIndex())
                    ? -1 : e.get(i).classIndex();
            assertThat(a.get(i).classIndex()).as("class index %d", i).isEqualTo(expectedIndex);
        }
    }
}
