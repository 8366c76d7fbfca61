package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void aSecretCanComeFromTheFileItsFileVariableNamesWithoutTheLineEnd() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret-one,s3cret-two\n");
        Settings s = Settings.defaults().withEnvironment(Map.of("ARGUS_REST_AUTH_TOKENS_FILE", token.toString()));
        assertThat(s.get(Key.REST_AUTH_TOKENS)).isEqualTo("s3cret-one,s3cret-two");
        assertThat(s.source(Key.REST_AUTH_TOKENS)).contains(token.toString()).contains("ARGUS_REST_AUTH_TOKENS_FILE");
        assertThat(s.dump()).doesNotContain("s3cret");
    }

    @Test
    void aSecretFileThatIsMissingTooLargeOrDoubledBySetTheVariableIsAConfigurationError() throws Exception {
        assertThatThrownBy(() -> Settings.defaults().withEnvironment(Map.of("ARGUS_GRPC_TOKEN_FILE", dir.resolve("none").toString())))
                .isInstanceOf(ArgusException.class).hasMessageContaining("ARGUS_GRPC_TOKEN_FILE").hasMessageContaining("none")
                .hasMessageContaining("no regular file");
        Path big = Files.write(dir.resolve("big"), new byte[100_000]);
        assertThatThrownBy(() -> Settings.defaults().withEnvironment(Map.of("ARGUS_GRPC_TOKEN_FILE", big.toString())))
                .isInstanceOf(ArgusException.class).hasMessageContaining("not a secret file");
        Path t = Files.writeString(dir.resolve("t"), "x");
        assertThatThrownBy(() -> Settings.defaults().withEnvironment(Map.of("ARGUS_GRPC_TOKEN_FILE", t.toString(),
                "ARGUS_GRPC_TOKEN", "y"))).isInstanceOf(ArgusException.class).hasMessageContaining("Both ARGUS_GRPC_TOKEN and");
    }

    @Test
    void anArgusFileVariableWinsOverTheConventionalNames() throws Exception {
        Path hub = Files.writeString(dir.resolve("hub"), "from-file\n");
        Path cf = Files.writeString(dir.resolve("cf"), "cf-from-file\n");
        Settings s = Settings.defaults().withEnvironment(Map.of("ARGUS_HUB_TOKEN_FILE", hub.toString(), "HF_TOKEN", "hf-env",
                "ARGUS_CLOUDFLARE_API_TOKEN_FILE", cf.toString(), "CLOUDFLARE_API_TOKEN", "cf-env"));
        assertThat(s.get(Key.HUB_TOKEN)).isEqualTo("from-file");
        assertThat(s.get(Key.CLOUDFLARE_API_TOKEN)).isEqualTo("cf-from-file");
        assertThat(Settings.defaults().withEnvironment(Map.of("HF_TOKEN", "hf-env")).get(Key.HUB_TOKEN)).isEqualTo("hf-env");
    }

    @Test
    void aSecretFileMustBeARegularFile() {
        assertThatThrownBy(() -> Settings.defaults().withEnvironment(Map.of("ARGUS_GRPC_TOKEN_FILE", "/dev/zero")))
                .isInstanceOf(ArgusException.class).hasMessageContaining("no regular file");
        assertThatThrownBy(() -> Settings.defaults().withEnvironment(Map.of("ARGUS_GRPC_TOKEN_FILE", dir.toString())))
                .isInstanceOf(ArgusException.class).hasMessageContaining("no regular file");
    }

    @Test
    void onlySecretsHaveFileVariables() {
        assertThat(Settings.unknownVariables(Map.of("ARGUS_REST_PORT_FILE", "/x"))).singleElement().asString()
                .contains("ARGUS_REST_PORT_FILE");
        assertThat(Settings.defaults().withEnvironment(Map.of("ARGUS_REST_PORT_FILE", "/x")).get(Key.REST_PORT))
                .isEqualTo(Key.REST_PORT.defaultValue());
    }

    @Test
    void anUnknownArgusVariableIsWarnedAboutWithTheNearestKeyAndOthersAreNot() {
        assertThat(Settings.unknownVariables(Map.of("ARGUS_RST_PORT", "1", "ARGUS_JAVA_OPTS", "-Xmx1g", "ARGUS_CONFIG", "a",
                "ARGUS_REST_PORT", "2", "ARGUS_GRPC_TOKEN_FILE", "/t", "PATH", "/bin", "HF_TOKEN", "x")))
                .singleElement().asString().contains("ARGUS_RST_PORT").contains("did you mean ARGUS_REST_PORT, for argus.rest.port?");
        assertThat(Settings.unknownVariables(Map.of("ARGUS_SOMETHING_ELSE_ENTIRELY", "1"))).singleElement().asString()
                .doesNotContain("did you mean");
        // an unknown variable is ignored, not an error: the rest applies
        assertThat(Settings.defaults().withEnvironment(Map.of("ARGUS_RST_PORT", "1", "ARGUS_REST_PORT", "2")).get(Key.REST_PORT))
                .isEqualTo("2");
    }

    @Test
    void levenshteinDistance() {
        assertThat(Settings.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Settings.distance("", "abc")).isEqualTo(3);
        assertThat(Settings.distance("same", "same")).isZero();
    }
}
