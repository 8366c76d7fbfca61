package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.app.serve.Servers;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.domain.LabelStyle;
import dev.argus.ports.out.ModelSource;
import dev.argus.testkit.ProbeCase;
import dev.argus.testkit.RepoPaths;
import dev.argus.testkit.TestModels;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code argus serve}: ready only after warm-up, serving the probe model, stopping in stages. */
class ServeIT {

    private static Settings probeSettings() {
        return Settings.defaults()
                .set(Key.MODEL, TestModels.probeOnnx().toString(), "test")
                .set(Key.MODEL_NAME, "argus/probe", "test")
                .set(Key.GRPC_PORT, "0", "test")
                .set(Key.SERVER_SHUTDOWN_GRACE_MS, "2000", "test");
    }

    private static HealthCheckResponse.ServingStatus health(ManagedChannel ch) {
        return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
    }

    @Test
    void servesTheConfiguredModelOverGrpcAfterWarmUpAndStopsCleanly() {
        Settings s = probeSettings();
        Servers servers = Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
        int port = servers.grpc().orElseThrow().port();
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThat(servers.ready()).isTrue();
            assertThat(health(ch)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            ProbeCase probe = ProbeCase.all().get(0);
            ClassifyResponse r = ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .classify(ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(probe.bytes())).build());
            assertThat(r.getClassificationsList().get(0).getLabel())
                    .isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        } finally {
            servers.close();
            servers.close();
            ch.shutdownNow();
        }
        assertThat(servers.ready()).isFalse();
    }

    @Test
    void theLauncherServesAndStopsGracefullyOnSigterm() throws Exception {
        String launcher = RepoPaths.root().resolve("app/target/argus/bin/argus").toString();
        Process p = new ProcessBuilder("sh", launcher, "serve", "--model", TestModels.probeOnnx().toString(),
                "-D", "argus.grpc.port=0", "-D", "argus.server.shutdown-grace-ms=2000")
                .redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        Pattern serving = Pattern.compile("gRPC on [0-9.]+:(\\d+)");
        int port = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line = log.readLine(); line != null && System.nanoTime() < deadline; line = log.readLine()) {
            seen.append(line).append('\n');
            Matcher m = serving.matcher(line);
            if (line.contains("Argus is serving") && m.find()) {
                port = Integer.parseInt(m.group(1));
                break;
            }
        }
        assertThat(port).as(seen.toString()).isPositive();
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThat(health(ch)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            ch.shutdownNow();
        }
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            seen.append(line).append('\n');
        }
        assertThat(seen.toString()).contains("Shutting down").contains("Stopped").doesNotContain("Exception");
    }
}
