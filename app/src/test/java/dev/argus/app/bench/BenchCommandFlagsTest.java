package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code argus bench}'s flags are checked before any model is read or worker JVM started: a wrong one exits 2. */
class BenchCommandFlagsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--requests|0|--requests must be 1..10000000, got 0",
            "--batch-sizes|1,0|--batch-sizes must be 1..256, got [1, 0]",
            "--concurrency|0|--concurrency must be 1..256",
            "--repetitions|0|--repetitions must be 1..100",
            "--max-images|0|--max-images must be at least 1, got 0",
            "--reference|djl-pytorch|The reference backend 'djl-pytorch' is not among the benchmarked ones",
            "--arrivals|bursty|--arrivals spaces the calls of an open loop",
            "--model|other.onnx|not from --backend/--model",
            "--images|no-such-dir|--images must be a directory of images; no-such-dir is not one",
            "--agreement-tolerance|fp8=0.1|--agreement-tolerance takes off, a fraction of the logit range",
            "--agreement-tolerance|0|fp32 must be a fraction of the logit range in (0, 1], got 0.0",
    })
    void aWrongFlagIsAUsageErrorReportedBeforeTheModelIsLookedFor(String flag, String value, String message) {
        List<String> args = new ArrayList<>(List.of("bench", "--backends", "onnx=" + tmp.resolve("missing.onnx"),
                "--out", tmp.resolve("out").toString(), flag, value));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ARGUS_DATA_DIR", tmp.resolve("data").toString()));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains(message).doesNotContain("argus bench: ").doesNotContain("\tat ");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
