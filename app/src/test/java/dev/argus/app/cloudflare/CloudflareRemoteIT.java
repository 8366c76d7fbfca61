package dev.argus.app.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.cloudflare.CloudflareConfig;
import dev.argus.cloudflare.CloudflareImageClassifier;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.LabelStyle;
import dev.argus.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One real request to Cloudflare Workers AI, when credentials are present: {@code CLOUDFLARE_ACCOUNT_ID} and
 * {@code CLOUDFLARE_API_TOKEN} (optionally {@code CLOUDFLARE_BASE_URL}). Skipped, with the reason printed, when they
 * are not (or the machine has no network): a skip here is not coverage of the real API.
 *
 * <pre>CLOUDFLARE_ACCOUNT_ID=... CLOUDFLARE_API_TOKEN=... mvn -pl app verify -Dit.test=CloudflareRemoteIT</pre>
 */
@Tag("remote")
class CloudflareRemoteIT {
    static CloudflareConfig config;

    @BeforeAll
    static void requireCredentials() {
        String account = System.getenv("CLOUDFLARE_ACCOUNT_ID");
        String token = System.getenv("CLOUDFLARE_API_TOKEN");
        String reason = null;
        if (account == null || account.isBlank()) {
            reason = "CLOUDFLARE_ACCOUNT_ID is not set";
        } else if (token == null || token.isBlank()) {
            reason = "CLOUDFLARE_API_TOKEN is not set";
        }
        if (reason != null) {
            System.out.println("SKIPPED CloudflareRemoteIT: " + reason + " (set both to run one real request)");
        }
        Assumptions.assumeTrue(reason == null, reason);
        config = CloudflareConfig.of(account, token);
        String base = System.getenv("CLOUDFLARE_BASE_URL");
        if (base != null && !base.isBlank()) {
            config = config.withBaseUrl(java.net.URI.create(base));
        }
    }

    static byte[] photo() throws IOException {
        Path dog = TestImages.sharedPhotos().stream().filter(p -> p.getFileName().toString().equals("dog.jpg"))
                .findFirst().orElse(null);
        return dog != null ? Files.readAllBytes(dog) : TestImages.noise(320, 240, 1, "jpg");
    }

    @Test
    void oneRealRequestGetsFiveCloudflareLabelsWithProbabilities() throws IOException {
        try (CloudflareImageClassifier cf = new CloudflareImageClassifier(config)) {
            ClassificationResult r = cf.classify(List.of(photo()), ClassifyOptions.defaults()).get(0).orThrow();
            System.out.println("Cloudflare Workers AI answered: " + r.classifications());
            List<Classification> c = r.classifications();
            assertThat(c).isNotEmpty().hasSizeLessThanOrEqualTo(5);
            assertThat(c).allSatisfy(x -> {
                assertThat(x.score()).isBetween(0.0, 1.0);
                assertThat(x.label()).isEqualTo(x.label().toUpperCase(Locale.ROOT));
            });
            for (int i = 1; i < c.size(); i++) {
                assertThat(c.get(i).score()).isLessThanOrEqualTo(c.get(i - 1).score());
            }
            assertThat(c.stream().filter(x -> x.classIndex() >= 0)).as("labels mapped back to ImageNet classes")
                    .isNotEmpty();
            ClassificationResult full = cf.classify(List.of(photo()),
                    ClassifyOptions.defaults().withLabelStyle(LabelStyle.IMAGENET)).get(0).orThrow();
            System.out.println("... in ImageNet style: " + full.classifications());
        }
    }
}
