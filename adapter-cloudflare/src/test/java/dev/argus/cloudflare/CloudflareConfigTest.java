package dev.argus.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudflareConfigTest {
    static final String TOKEN = "tok-Secret-123";

    @Test
    void defaultsPointAtCloudflaresResnet50() {
        CloudflareConfig c = CloudflareConfig.of("abc123", TOKEN);
        assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.cloudflare.com"));
        assertThat(c.model()).isEqualTo("@cf/microsoft/resnet-50");
        assertThat(c.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxAttempts()).isEqualTo(4);
        assertThat(c.backoffBase()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.backoffMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.breakerFailureThreshold()).isEqualTo(5);
        assertThat(c.breakerOpenDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.batchConcurrency()).isEqualTo(4);
        assertThat(c.endpoint()).isEqualTo(
                URI.create("https://api.cloudflare.com/client/v4/accounts/abc123/ai/run/@cf/microsoft/resnet-50"));
    }

    @Test
    void toStringNeverShowsTheToken() {
        CloudflareConfig c = CloudflareConfig.of("abc123", TOKEN);
        assertThat(c.toString()).doesNotContain(TOKEN).contains("apiToken=****").contains("abc123");
        assertThat(new CloudflareImageClassifier(c)).satisfies(cl -> {
            assertThat(cl.toString()).doesNotContain(TOKEN);
            cl.close();
        });
    }

    @Test
    void baseUrlKeepsAPathPrefixAndLosesTrailingSlashes() {
        CloudflareConfig c = CloudflareConfig.of("acc", TOKEN).withBaseUrl(URI.create("http://127.0.0.1:8080/proxy//"));
        assertThat(c.endpoint()).isEqualTo(
                URI.create("http://127.0.0.1:8080/proxy/client/v4/accounts/acc/ai/run/@cf/microsoft/resnet-50"));
    }

    @Test
    void valuesAreTrimmed() {
        CloudflareConfig c = CloudflareConfig.of("  acc \n", " " + TOKEN + "\n");
        assertThat(c.accountId()).isEqualTo("acc");
        assertThat(c.apiToken()).isEqualTo(TOKEN);
    }

    @Test
    void missingTokenNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> CloudflareConfig.of("acc", " "))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("CLOUDFLARE_API_TOKEN");
    }

    @Test
    void missingAccountNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> CloudflareConfig.of("", TOKEN)).hasMessageContaining("CLOUDFLARE_ACCOUNT_ID");
    }

    @Test
    void tokenWithSpacesIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> CloudflareConfig.of("acc", "Bearer " + TOKEN))
                .isInstanceOf(ArgusException.class)
                .hasMessageNotContaining(TOKEN)
                .hasMessageContaining("without 'Bearer'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a b", "../x", "a?b"})
    void accountIdMustBeOnePathSegment(String account) {
        assertThatThrownBy(() -> CloudflareConfig.of(account, TOKEN)).isInstanceOf(ArgusException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host", "api.cloudflare.com", "https://user:pw@host", "https://host/?q=1"})
    void baseUrlMustBeHttpWithAHostAndNothingElse(String url) {
        assertThatThrownBy(() -> CloudflareConfig.of("acc", TOKEN).withBaseUrl(URI.create(url)))
                .isInstanceOf(ArgusException.class)
                .hasMessageNotContaining("pw");
    }

    @Test
    void modelMustLookLikeAModelId() {
        assertThatThrownBy(() -> CloudflareConfig.of("acc", TOKEN).withModel("resnet 50")).isInstanceOf(ArgusException.class);
        assertThat(CloudflareConfig.of("acc", TOKEN).withModel("@cf/other/model").model()).isEqualTo("@cf/other/model");
    }

    @Test
    void numbersAreRangeChecked() {
        CloudflareConfig c = CloudflareConfig.of("acc", TOKEN);
        assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withRetries(0, Duration.ofMillis(1), Duration.ofMillis(2))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withRetries(11, Duration.ofMillis(1), Duration.ofMillis(2))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withRetries(3, Duration.ofMillis(10), Duration.ofMillis(2))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withCircuitBreaker(0, Duration.ofSeconds(1))).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withBatchConcurrency(0)).isInstanceOf(ArgusException.class);
        assertThatThrownBy(() -> c.withBatchConcurrency(65)).isInstanceOf(ArgusException.class);
    }
}
