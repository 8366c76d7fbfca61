package dev.argus.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestConfigTest {

    @Test
    void hasDocumentedDefaults() {
        RestConfig c = RestConfig.defaults();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.authTokens()).isEmpty();
        assertThat(c.authEnabled()).isFalse();
        assertThat(c.maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxConcurrentRequests()).isEqualTo(64);
        assertThat(c.maxImagesPerRequest()).isEqualTo(32);
        assertThat(c.cloudflareModel()).isEqualTo("@cf/microsoft/resnet-50");
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxConnections()).isEqualTo(1000);
        assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.cors().enabled()).isFalse();
    }

    @Test
    void defaultBodyLimitHoldsATenMebibyteImageAsAJsonNumberArray() {
        long worstCaseJson = 10L * 1024 * 1024 * "255, ".length() + "{\"image\":[]}".length();
        assertThat(RestConfig.defaults().maxBodyBytes()).isGreaterThan(worstCaseJson);
    }

    @Test
    void neverShowsTokensInToString() {
        RestConfig c = RestConfig.defaults().withAuthTokens(Set.of("super-secret-1", "super-secret-2"));
        assertThat(c.toString()).doesNotContain("super-secret").contains("authTokens=2 (hidden)");
    }

    @Test
    void rejectsBadValuesNamingThem() {
        RestConfig d = RestConfig.defaults();
        assertThatThrownBy(() -> d.withPort(70000)).isInstanceOf(ArgusException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> d.withHost(" ")).isInstanceOf(ArgusException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> d.withMaxBodyBytes(10)).isInstanceOf(ArgusException.class).hasMessageContaining("body");
        assertThatThrownBy(() -> d.withRequestTimeout(Duration.ZERO)).isInstanceOf(ArgusException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> d.withMaxConcurrentRequests(0)).isInstanceOf(ArgusException.class).hasMessageContaining("concurrent");
        assertThatThrownBy(() -> d.withMaxImagesPerRequest(0)).isInstanceOf(ArgusException.class).hasMessageContaining("images");
        assertThatThrownBy(() -> d.withCloudflareModel("resnet-50")).isInstanceOf(ArgusException.class).hasMessageContaining("@cf/");
        assertThatThrownBy(() -> d.withAuthTokens(Set.of("has space"))).isInstanceOf(ArgusException.class).hasMessageContaining("token");
        assertThatThrownBy(() -> d.withShutdownGrace(Duration.ofSeconds(-1))).isInstanceOf(ArgusException.class).hasMessageContaining("grace");
        assertThatThrownBy(() -> d.withConnections(0, Duration.ofSeconds(1))).isInstanceOf(ArgusException.class).hasMessageContaining("connections");
        assertThatThrownBy(() -> d.withConnections(10, Duration.ZERO)).isInstanceOf(ArgusException.class).hasMessageContaining("header timeout");
    }
}
