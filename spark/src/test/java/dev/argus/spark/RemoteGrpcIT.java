package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote mode: with {@code argus.backend=grpc} the executors load no model and call an Argus service (here a real one,
 * in this JVM, serving the probe model over gRPC on a free loopback port).
 */
class RemoteGrpcIT {
    @TempDir
    Path work;

    private static Servers probeServer() {
        Settings s = Settings.defaults()
                .set(Key.BACKEND, "onnx", "test")
                .set(Key.MODEL, TestModels.probeOnnx().toString(), "test")
                .set(Key.MODEL_NAME, "argus/probe", "test")
                .set(Key.DATA_DIR, System.getProperty("argus.data.dir", "target/argus-data"), "test")
                .set(Key.REST_ENABLED, "false", "test")
                .set(Key.GRPC_HOST, "127.0.0.1", "test")
                .set(Key.GRPC_PORT, "0", "test")
                .set(Key.SERVER_WARMUP_ROUNDS, "1", "test")
                .set(Key.SERVER_SHUTDOWN_GRACE_MS, "1000", "test");
        return Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
    }

    @Test
    void executorsClassifyThroughAnotherArgusOverGrpc() {
        Path images = work.resolve("images");
        ImageFolders.probes(images);
        ImageFolders.bad(images);
        Path out = work.resolve("out");
        try (Servers server = probeServer()) {
            int port = server.grpc().orElseThrow().port();
            LocalSpark.Run run = LocalSpark.job("--input", images.toString(), "--output", out.toString(), "--backend", "grpc",
                    "-D", "argus.grpc-backend.target=127.0.0.1:" + port, "-D", "argus.grpc-backend.deadline-ms=20000");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        List<Row> rows = LocalSpark.session().read().parquet(out.toString()).collectAsList();
        assertThat(rows).hasSize(ProbeCase.all().size() + ImageFolders.BAD_FILES.size());
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getString(r.fieldIndex("backend"))).isEqualTo("grpc");
            assertThat(r.getString(r.fieldIndex("model"))).isEqualTo("argus/probe");
        });
        assertThat(rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("error")))).hasSize(ImageFolders.BAD_FILES.size())
                .allSatisfy(r -> assertThat(r.getStruct(r.fieldIndex("error")).getString(0)).isIn("INVALID_INPUT", "INPUT_TOO_LARGE"));
        Map<String, Row> probes = rows.stream().filter(r -> r.getString(0).contains("/probe/"))
                .collect(Collectors.toMap(r -> r.getString(0).replaceFirst(".*/", ""), r -> r));
        for (ProbeCase c : ProbeCase.all()) {
            Row r = probes.get(c.name());
            assertThat(r.<String>getList(r.fieldIndex("labels")).get(0)).as(c.why()).isEqualTo(LabelStyle.CLOUDFLARE.apply(c.expectedLabel()));
            assertThat(r.<Integer>getList(r.fieldIndex("class_indices")).get(0)).as(c.why()).isEqualTo(c.expectedClass());
        }
    }

    @Test
    void failsTheJobWithABackendErrorWhenTheServiceIsDown() {
        Path images = work.resolve("images");
        ImageFolders.probes(images);
        LocalSpark.Run run = LocalSpark.job("--input", images.toString(), "--output", work.resolve("out").toString(),
                "--backend", "grpc", "-D", "argus.grpc-backend.target=127.0.0.1:1", "-D", "argus.grpc-backend.deadline-ms=2000",
                "-D", "argus.grpc-backend.retries=0");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
        assertThat(run.err()).contains("an executor failed").doesNotContain("\tat ");
    }
}
