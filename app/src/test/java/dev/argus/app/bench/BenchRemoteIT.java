package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.argus.app.TestConfigs;
import dev.argus.app.cli.ExitCodes;
import dev.argus.app.cli.Main;
import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.app.config.ServingConfig;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote backends in the benchmark: another Argus (serving the probe model here) reached over gRPC and over its
 * Cloudflare-compatible REST route, next to the same model run locally. Remote rows have no engine baseline and no
 * logits; their answers still agree with the local engine.
 */
class BenchRemoteIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void benchmarksAnotherArgusOverGrpcAndRestAgainstTheLocalEngine() throws Exception {
        Settings s = TestConfigs.probeSettings();
        try (Servers servers = Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE)) {
            int grpc = servers.grpc().orElseThrow().port();
            int rest = servers.rest().orElseThrow().port();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Map<String, String> env = new HashMap<>();
            env.put("ARGUS_DATA_DIR", dir.resolve("data").toString());
            int code = Main.run(new String[] {"bench", "--backends", "onnx=" + TestModels.probeOnnx() + ",grpc=127.0.0.1:" + grpc
                            + ",rest=http://127.0.0.1:" + rest, "--generated-images", "4", "--warmup", "1", "--requests", "4",
                            "--batch-sizes", "1,2", "--concurrency", "2", "--repetitions", "1", "--out", dir.resolve("r").toString(),
                            "--no-progress"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
            String stderr = err.toString(StandardCharsets.UTF_8);
            System.out.println("[bench remote] " + stderr + "\n" + out.toString(StandardCharsets.UTF_8));
            assertThat(code).as(stderr).isEqualTo(ExitCodes.OK);
            JsonNode report = JSON.readTree(dir.resolve("r/bench.json").toFile());
            for (JsonNode b : report.get("backends")) {
                assertThat(b.get("status").asText()).as(b.get("id").asText() + ": " + b.get("reason")).isEqualTo("ok");
            }
            for (String remote : new String[] {"grpc", "rest"}) {
                int pipelines = 0;
                for (JsonNode row : report.get("rows")) {
                    if (row.get("backend").asText().equals(remote)) {
                        assertThat(row.get("kind").asText()).as("remote backends have no bare-engine row").isEqualTo("pipeline");
                        assertThat(row.get("imagesPerSecond").get("median").asDouble()).isPositive();
                        assertThat(row.get("failedCalls").asInt() + row.get("failedImages").asInt()).isZero();
                        pipelines++;
                    }
                }
                assertThat(pipelines).as(remote + " rows").isEqualTo(2);
                JsonNode pair = null;
                for (JsonNode p : report.get("agreement").get("pairs")) {
                    if (p.get("a").asText().equals("onnx") && p.get("b").asText().equals(remote)) {
                        pair = p;
                    }
                }
                assertThat(pair).as("onnx vs " + remote).isNotNull();
                assertThat(pair.get("images").asInt()).isEqualTo(4);
                assertThat(pair.get("top1Agreement").asDouble()).isEqualTo(1.0);
                assertThat(pair.get("maxLogitDiff").isNull()).as("no logits from a remote backend").isTrue();
                assertThat(pair.get("maxScoreDiff").asDouble()).isLessThan(1e-3);
            }
        }
    }
}
