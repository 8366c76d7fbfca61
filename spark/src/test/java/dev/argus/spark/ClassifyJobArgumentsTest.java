package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong arguments fail before Spark starts: one clear line, exit 2 (usage) or 3 (configuration). */
class ClassifyJobArgumentsTest {
    record Result(int code, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ClassifyJob.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void requiresInputAndOutput() {
        Result r = run("--output", "/tmp/x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--input=PATH'");
    }

    @Test
    void namesTheValidFormats() {
        Result r = run("--input", "/in", "--output", "/out", "--format", "tiff");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format must be binaryFile").contains("or parquet").contains("'tiff'");
        assertThat(run("--input", "/in", "--output", "/out", "--output-format", "csv").err()).contains("--output-format must be parquet or json");
    }

    @Test
    void refusesOutOfRangeNumbersAndColumnsThatDoNotApply() {
        assertThat(run("--input", "/in", "--output", "/out", "--top-k", "0").err()).contains("--top-k must be 1..1000, got 0");
        assertThat(run("--input", "/in", "--output", "/out", "--batch-size", "0").err()).contains("--batch-size must be 1..1024");
        assertThat(run("--input", "/in", "--output", "/out", "--partitions", "-1").err()).contains("--partitions must be >= 1");
        assertThat(run("--input", "/in", "--output", "/out", "--label-style", "fancy").err()).contains("--label-style must be cloudflare or imagenet");
        Result columns = run("--input", "/in", "--output", "/out", "--image-column", "bytes");
        assertThat(columns.code()).isEqualTo(2);
        assertThat(columns.err()).contains("apply to --format parquet");
    }

    @Test
    void refusesBadArgusConfigurationAsArgusDoes() {
        Result unknown = run("--input", "/in", "--output", "/out", "-D", "argus.no-such-key=1");
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("Unknown configuration key 'argus.no-such-key'");
        Result backend = run("--input", "/in", "--output", "/out", "--backend", "magic");
        assertThat(backend.code()).isEqualTo(3);
        assertThat(backend.err()).contains("argus.backend").contains("magic").contains("Valid backends");
        Result grpc = run("--input", "/in", "--output", "/out", "--backend", "grpc");
        assertThat(grpc.err()).contains("argus.grpc-backend.target");
    }

    @Test
    void saysHowToRunWhenThereIsNoSparkMaster() {
        Result r = run("--input", "/in", "--output", "/out");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("No Spark master").contains("spark-submit").contains("--master local[*]");
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
