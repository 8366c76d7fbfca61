package dev.argus.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code argus tune}'s flags are checked before the configuration is read or the model found or downloaded. */
class TuneCommandFlagsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--workers|0|--workers values must be in 1..1024, got 0",
            "--batch-sizes|1,2000|--batch-sizes values must be in 1..1024, got 2000",
            "--p99-ms|0|--p99-ms must be a number > 0, got 0.0",
            "--seconds|-1|--seconds must be a number > 0, got -1.0",
            "--warmup-seconds|NaN|--warmup-seconds must be a number >= 0, got NaN",
            "--images|no-such-dir|--images must be a directory of images; no-such-dir is not one",
    })
    void aWrongFlagIsAUsageErrorReportedBeforeTheModelIsLookedFor(String flag, String value, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // the configured backend is remote too: that error (exit 3) must not come first either
        int exit = Main.run(new String[] {"tune", "--model", tmp.resolve("missing.onnx").toString(), "--backend", "grpc",
                        flag, value}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains(message).doesNotContain("missing.onnx").doesNotContain("measures engines that run here");
        assertThat(tmp.resolve("data/tuning")).doesNotExist();
    }
}
