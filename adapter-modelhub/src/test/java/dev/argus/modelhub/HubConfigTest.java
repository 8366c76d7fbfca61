package dev.argus.modelhub;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubConfigTest {
    private static final HubConfig DEFAULTS = HubConfig.defaults(Path.of("data/models"));

    @Test
    void defaultsToThePublicHubWithSafeSettings() {
        assertThat(DEFAULTS.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(DEFAULTS.cacheDir()).isEqualTo(Path.of("data/models").toAbsolutePath());
        assertThat(DEFAULTS.token()).isNull();
        assertThat(DEFAULTS.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.maxAttempts()).isEqualTo(4);
        assertThat(DEFAULTS.offline()).isFalse();
        assertThat(DEFAULTS.verifyCachedHash()).isTrue();
        assertThat(DEFAULTS.backoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.lockTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void withersChangeOneThing() {
        HubConfig c = DEFAULTS.withEndpoint(URI.create("https://hf-mirror.com/")).withToken("  hf_abc\n")
                .withOffline(true).withVerifyCachedHash(false).withRetries(2, Duration.ZERO)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(c.endpoint()).as("trailing slash dropped").isEqualTo(URI.create("https://hf-mirror.com"));
        assertThat(c.endpointHost()).isEqualTo("hf-mirror.com");
        assertThat(c.token()).isEqualTo("hf_abc");
        assertThat(c.hasToken()).isTrue();
        assertThat(c).extracting(HubConfig::offline, HubConfig::verifyCachedHash, HubConfig::maxAttempts)
                .containsExactly(true, false, 2);
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.cacheDir()).isEqualTo(DEFAULTS.cacheDir());
        assertThat(c.lockTimeout()).as("kept by every other wither").isEqualTo(HubConfig.DEFAULT_LOCK_TIMEOUT);
        assertThat(c.withLockTimeout(Duration.ofSeconds(20)))
                .extracting(HubConfig::lockTimeout, HubConfig::readTimeout, HubConfig::offline)
                .containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(5), true);
        assertThat(c.withLockTimeout(Duration.ofSeconds(20)).toString()).contains("lockTimeout=PT20S");
    }

    @Test
    void blankTokenMeansNone() {
        assertThat(DEFAULTS.withToken("   ").token()).isNull();
        assertThat(DEFAULTS.withToken("").hasToken()).isFalse();
    }

    @Test
    void toStringRedactsTheToken() {
        assertThat(DEFAULTS.withToken("hf_verysecret").toString())
                .contains("token=<redacted>").doesNotContain("hf_verysecret");
        assertThat(DEFAULTS.toString()).contains("token=none");
    }

    @Test
    void rejectsInvalidValuesWithoutEchoingTheToken() {
        assertInvalid(() -> DEFAULTS.withEndpoint(URI.create("ftp://huggingface.co")), "http(s) URL");
        assertInvalid(() -> DEFAULTS.withEndpoint(URI.create("huggingface.co")), "http(s) URL");
        assertInvalid(() -> DEFAULTS.withEndpoint(URI.create("https://user:pw@hf.co")), "credentials");
        assertInvalid(() -> DEFAULTS.withEndpoint(URI.create("https://hf.co/?x=1")), "query");
        assertInvalid(() -> DEFAULTS.withEndpoint(null), "missing");
        assertInvalid(() -> DEFAULTS.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)), "connectTimeout");
        assertInvalid(() -> DEFAULTS.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1)), "readTimeout");
        assertInvalid(() -> DEFAULTS.withRetries(0, Duration.ZERO), "maxAttempts");
        assertInvalid(() -> DEFAULTS.withRetries(21, Duration.ZERO), "maxAttempts");
        assertInvalid(() -> DEFAULTS.withRetries(3, Duration.ofMillis(-1)), "backoffBase");
        assertInvalid(() -> DEFAULTS.withLockTimeout(Duration.ZERO), "lockTimeout");
        assertInvalid(() -> DEFAULTS.withLockTimeout(null), "lockTimeout");
        assertThatThrownBy(() -> DEFAULTS.withToken("hf_abc def"))
                .hasMessageContaining("HF_TOKEN").hasMessageNotContaining("hf_abc");
        assertThatThrownBy(() -> HubConfig.defaults(null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertInvalid(Runnable change, String problem) {
        assertThatThrownBy(change::run)
                .isInstanceOfSatisfying(ArgusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining(problem);
    }
}
