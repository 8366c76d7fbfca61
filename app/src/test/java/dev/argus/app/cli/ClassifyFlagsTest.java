package dev.argus.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code argus classify}'s flags are checked before the model is loaded or downloaded: with a model that does not
 * exist, a wrong flag must be what is reported (exit 2), not the model.
 */
class ClassifyFlagsTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run classify(String... args) {
        List<String> all = new ArrayList<>(List.of("classify", "--model", tmp.resolve("missing.onnx").toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(all.toArray(String[]::new), InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--batch-size, 0, --batch-size must be at least 1, got 0",
            "--batch-size, -3, --batch-size must be at least 1, got -3",
            "--top-k, 0, --top-k must be 1..1000, got 0",
            "--top-k, 1001, --top-k must be 1..1000, got 1001",
            "--label-style, fancy, --label-style must be cloudflare or imagenet, got 'fancy'",
            "--model-version, latest, --model-version must be a version number",
    })
    void aWrongFlagIsAUsageErrorReportedBeforeTheModelIsLookedFor(String flag, String value, String message) {
        Run r = classify(flag, value, "x.jpg");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message).doesNotContain("missing.onnx").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theFlagErrorComesBeforeAMissingInputFile() {
        Run r = classify("--batch-size", "0", tmp.resolve("nope.jpg").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--batch-size").doesNotContain("No such file");
    }

    @Test
    void standardInputCanBeGivenOnce() {
        Run r = classify("-", "-");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("'-' (an image on standard input) can be given once");
    }

    @Test
    void rightFlagsReachTheModelAndItsErrorExitsThree() {
        Run r = classify("--batch-size", "2", "--top-k", "3", "-");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(r.err()).contains("missing.onnx");
    }
}
