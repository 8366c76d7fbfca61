package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.config.Key;
import dev.argus.testkit.RepoPaths;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration reference true. */
class ReadmeTest {
    @Test
    void documentsEveryConfigurationKeyWithItsDefault() throws Exception {
        String readme = Files.readString(RepoPaths.root().resolve("README.md"));
        for (Key k : Key.values()) {
            String row = "| `" + k.key() + "` | " + (k.defaultValue().isEmpty() ? "|" : "`" + k.defaultValue() + "` |");
            assertThat(readme).as("README row for " + k.key()).contains(row);
        }
    }
}
