package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.rest.RestConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keys of the REST and gRPC interfaces added with CORS and token rotation: defaults, mapping, refusals. */
class InterfaceKeysTest {

    private static RestConfig rest(Settings s) {
        return ServingConfig.from(s).rest().orElseThrow();
    }

    @Test
    void corsIsOffByDefault() {
        RestConfig.Cors cors = rest(Settings.defaults()).cors();
        assertThat(cors.enabled()).isFalse();
        assertThat(cors.maxAge()).isEqualTo(Duration.ofSeconds(600));
        assertThat(Key.REST_CORS_ORIGINS.defaultValue()).isEmpty();
    }

    @Test
    void mapsCorsOriginsAndMaxAge() {
        RestConfig.Cors cors = rest(Settings.defaults()
                .set(Key.REST_CORS_ORIGINS, " https://app.example.com, http://localhost:3000 ,", "t")
                .set(Key.REST_CORS_MAX_AGE_S, "120", "t")).cors();
        assertThat(cors.origins()).containsExactly("https://app.example.com", "http://localhost:3000");
        assertThat(cors.maxAge()).isEqualTo(Duration.ofSeconds(120));
        assertThat(cors.allows("https://app.example.com")).isTrue();
        assertThat(cors.allows("https://evil.example.com")).isFalse();
        assertThat(rest(Settings.defaults().set(Key.REST_CORS_ORIGINS, "*", "t")).cors().allows("https://any.where")).isTrue();
    }

    @Test
    void refusesBadCorsValuesNamingTheKey() {
        for (String bad : new String[] {"https://app.example.com/", "app.example.com", "https://app.example.com/path", "null",
                "*, https://app.example.com", "HTTPS://App.Example.com"}) {
            assertThatThrownBy(() -> rest(Settings.defaults().set(Key.REST_CORS_ORIGINS, bad, "t"))).as(bad)
                    .isInstanceOf(ArgusException.class).hasMessageContaining("argus.rest.cors-origins");
        }
        for (String bad : new String[] {"-1", "86401", "ten"}) {
            assertThatThrownBy(() -> rest(Settings.defaults().set(Key.REST_CORS_ORIGINS, "*", "t")
                    .set(Key.REST_CORS_MAX_AGE_S, bad, "t"))).as(bad)
                    .isInstanceOf(ArgusException.class).hasMessageContaining("argus.rest.cors-max-age-s");
        }
    }

    @Test
    void grpcTokenTakesSeveralCommaSeparatedTokensAndOneAsBefore() {
        assertThat(ServingConfig.from(Settings.defaults().set(Key.GRPC_TOKEN, "only-one", "t")).grpc().orElseThrow().authTokens())
                .containsExactly("only-one");
        assertThat(ServingConfig.from(Settings.defaults().set(Key.GRPC_TOKEN, "old-token, new-token,", "t")).grpc().orElseThrow()
                .authTokens()).containsExactlyInAnyOrder("old-token", "new-token");
        assertThat(ServingConfig.from(Settings.defaults().set(Key.GRPC_TOKEN, " , ", "t")).grpc().orElseThrow().authEnabled())
                .isFalse();
    }

    @Test
    void refusesBadTokensNamingTheKeyButNotTheToken() {
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.GRPC_TOKEN, "good, has space", "t")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.grpc.token").hasMessageNotContaining("has space");
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.REST_AUTH_TOKENS, "ok,t\u00e9st", "t")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("argus.rest.auth-tokens").hasMessageNotContaining("t\u00e9st");
    }

    @Test
    void grpcBeyondLoopbackStillNeedsATokenWithSeveralAllowed() {
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.GRPC_HOST, "0.0.0.0", "t")
                .set(Key.GRPC_TOKEN, " , ", "t")))
                .hasMessageContaining("argus.grpc.host").hasMessageContaining("argus.grpc.token");
        var grpc = ServingConfig.from(Settings.defaults().set(Key.GRPC_HOST, "0.0.0.0", "t")
                .set(Key.GRPC_TOKEN, "tok-alpha,tok-beta", "t")).grpc().orElseThrow();
        assertThat(grpc.authTokens()).isEqualTo(Set.of("tok-alpha", "tok-beta"));
        assertThat(grpc.toString()).doesNotContain("tok-alpha").doesNotContain("tok-beta").contains("hidden");
        assertThat(List.of(Key.GRPC_TOKEN.secret(), Key.REST_AUTH_TOKENS.secret())).containsOnly(true);
    }
}
