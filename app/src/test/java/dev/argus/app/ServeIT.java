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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        return TestConfigs.probeSettings().set(Key.SERVER_SHUTDOWN_GRACE_MS, "2000", "test");
    }

    private static HealthCheckResponse.ServingStatus health(ManagedChannel ch) {
        return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
    }

    @Test
    void servesTheConfiguredModelOverRestAndGrpcAfterWarmUpAndStopsCleanly() throws Exception {
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

            int restPort = servers.rest().orElseThrow().port();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/v2/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            HttpResponse<String> cf = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
                    + "/client/v4/accounts/acct/ai/run/@cf/microsoft/resnet-50")).POST(HttpRequest.BodyPublishers.ofByteArray(probe.bytes()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cf.statusCode()).isEqualTo(200);
            assertThat(cf.body()).startsWith("{\"result\":[{\"label\":\"" + LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()) + "\"");

            // FP32 tensors through the Open Inference Protocol reach the engine (a solid red image, preprocessed here).
            String red = solidRedInferRequest();
            HttpResponse<String> infer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort
                    + "/v2/models/argus%2Fprobe/infer")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(red)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
            assertThat(infer.body()).contains("\"FP32\"").contains("[1,1000]");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("argus_model_load_seconds");
            // the engine stage, in Triton's terms: the gRPC, Cloudflare and OIP calls above (and the warm-up) went through it
            java.util.regex.Matcher success = java.util.regex.Pattern
                    .compile("argus_inference_request_success_total\\{model=\"[^\"]+\",version=\"1\"} ([0-9.E]+)").matcher(metrics.body());
            assertThat(success.find()).as(metrics.body()).isTrue();
            assertThat(Double.parseDouble(success.group(1))).isGreaterThanOrEqualTo(3);
            assertThat(metrics.body()).contains("argus_inference_exec_count_total{batch_size=\"1\"")
                    .contains("argus_inference_compute_infer_duration_us_total").contains("argus_inference_pending_request_count");
        } finally {
            servers.close();
            servers.close();
            ch.shutdownNow();
        }
        assertThat(servers.ready()).isFalse();
    }

    @Test
    void restAndGrpcShareTheServersBoundOnRequestsInProgress() throws Exception {
        // each API allows 2; the server 1 over both: a REST request in progress (admitted, its body still arriving)
        // leaves no place for a gRPC call. REST waits for a place (not refused) should a probing gRPC call hold it.
        Settings s = probeSettings().set(Key.SERVER_MAX_CONCURRENT_REQUESTS, "1", "test")
                .set(Key.REST_MAX_CONCURRENT_REQUESTS, "2", "test").set(Key.GRPC_MAX_CONCURRENT_CALLS, "2", "test")
                .set(Key.REST_ADMISSION_WAIT_MS, "20000", "test");
        Servers servers = Servers.start(ArgusConfig.from(s, Map.of()), ServingConfig.from(s), ModelSource.ProgressListener.NONE);
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", servers.grpc().orElseThrow().port()).usePlaintext().build();
        ProbeCase probe = ProbeCase.all().get(0);
        ClassifyRequest request = ClassifyRequest.newBuilder().setEncoded(ByteString.copyFrom(probe.bytes())).build();
        try (servers; java.net.Socket slow = new java.net.Socket("127.0.0.1", servers.rest().orElseThrow().port())) {
            slow.getOutputStream().write(("POST /client/v4/accounts/a/ai/run/@cf/microsoft/resnet-50 HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 100000\r\n\r\n0123456789").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            io.grpc.StatusRuntimeException refused = null;
            for (int i = 0; i < 50 && refused == null; i++) { // until the REST request is admitted
                try {
                    ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).classify(request);
                    Thread.sleep(100);
                } catch (io.grpc.StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("a gRPC call while REST holds the server's one place").isNotNull();
            assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getStatus().getDescription()).contains("argus.server.max-concurrent-requests");
            slow.close();
            // the REST request ended with its connection: its place is back
            ClassifyResponse r = null;
            for (int i = 0; i < 50 && r == null; i++) {
                try {
                    r = ClassifierGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).classify(request);
                } catch (io.grpc.StatusRuntimeException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.getClassificationsList().get(0).getLabel()).isEqualTo(LabelStyle.CLOUDFLARE.apply(probe.expectedLabel()));
        } finally {
            ch.shutdownNow();
        }
    }

    private static String solidRedInferRequest() {
        float[] t = dev.argus.testkit.Tensors.solidNchw(0xff0000, 224);
        StringBuilder sb = new StringBuilder("{\"inputs\":[{\"name\":\"pixel_values\",\"shape\":[1,3,224,224],\"datatype\":\"FP32\",\"data\":[");
        for (int i = 0; i < t.length; i++) {
            sb.append(i == 0 ? "" : ",").append(t[i]);
        }
        return sb.append("]}]}").toString();
    }

    @Test
    void theLauncherServesAndStopsGracefullyOnSigterm() throws Exception {
        String launcher = RepoPaths.root().resolve("app/target/argus/bin/argus").toString();
        Process p = new ProcessBuilder("sh", launcher, "serve", "--model", TestModels.probeOnnx().toString(),
                "-D", "argus.grpc.port=0", "-D", "argus.rest.port=0", "-D", "argus.server.shutdown-grace-ms=2000")
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
