package dev.argus.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.app.config.ArgusConfig;
import dev.argus.app.config.Backend;
import dev.argus.app.config.Key;
import dev.argus.app.config.ServingConfig;
import dev.argus.app.config.Settings;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ChannelOrder;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ResizeMode;
import dev.argus.domain.TensorLayout;
import dev.argus.tensorrt.TensorRtConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgusConfigTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void defaultsServeHuggingFacesResNet50WithOnnxRuntime() {
        ArgusConfig c = ArgusConfig.from(Settings.defaults().set(Key.CPUS, "4", "test"), Map.of("XDG_DATA_HOME", "/srv/data"));
        assertThat(c.backend()).isEqualTo(Backend.ONNX);
        assertThat(c.modelLocation()).isEqualTo("hf://Xenova/resnet-50/onnx/model.onnx");
        assertThat(c.model().name()).isEqualTo("microsoft/resnet-50");
        assertThat(c.model().preprocess().resizeShortSide()).isEqualTo(256);
        assertThat(c.model().preprocess().channelOrder()).isEqualTo(ChannelOrder.RGB);
        assertThat(c.model().labels().size()).isEqualTo(1000);
        assertThat(c.limits().maxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.maxPixels()).isEqualTo(50_000_000L);
        assertThat(c.exifOrientation()).isTrue();
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/data/argus"));
        assertThat(c.modelCacheDir()).isEqualTo(Path.of("/srv/data/argus/models"));
        assertThat(c.inference().workers()).isEqualTo(1);
        assertThat(c.onnx().intraOpThreads()).as("threads x workers = cpus").isEqualTo(4);
        assertThat(c.hub().offline()).isFalse();
    }

    @Test
    void memoryBudgetsDefaultToSharesOfTheHeapAndRefuseTooLittle() {
        long heap = Runtime.getRuntime().maxMemory();
        ArgusConfig c = ArgusConfig.from(Settings.defaults(), NO_ENV);
        assertThat(c.decodeMemoryBytes()).isEqualTo(Math.max(16L << 20, (long) (heap * 0.35)));
        assertThat(c.decodeWaitMillis()).isEqualTo(30_000);
        assertThat(ArgusConfig.from(Settings.defaults().set(Key.DECODE_MEMORY_BYTES, "268435456", "t"), NO_ENV).decodeMemoryBytes())
                .isEqualTo(256L << 20);
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.DECODE_MEMORY_BYTES, "1000", "t"), NO_ENV))
                .hasMessageContaining("argus.limits.decode-memory-bytes").hasMessageContaining("16 MiB");
        var rest = ServingConfig.from(Settings.defaults()).rest().orElseThrow();
        long bodies = Math.max(2L << 20, (long) (heap * 0.15));
        assertThat(rest.maxBodyBytesInFlight()).isEqualTo(bodies);
        assertThat(rest.maxBodyBytes()).as("64 MiB, or half the budget on a small heap").isEqualTo(Math.min(64L << 20, bodies / 2));
        // a body limit set on purpose raises the budget instead of being cut
        var big = ServingConfig.from(Settings.defaults().set(Key.REST_MAX_BODY_BYTES, "1000000000", "t")).rest().orElseThrow();
        assertThat(big.maxBodyBytes()).isEqualTo(1_000_000_000L);
        assertThat(big.maxBodyBytesInFlight()).isEqualTo(Math.max(2_000_000_000L, bodies));
        assertThat(rest.maxImageBytes()).isEqualTo(10L << 20);
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.REST_MAX_BODY_BYTES_IN_FLIGHT, "1048576", "t")))
                .hasMessageContaining("argus.rest.max-body-bytes-in-flight").hasMessageContaining("twice");
    }

    @Test
    void servingBeyondLoopbackWithoutATokenIsAConfigurationErrorUnlessAllowed() {
        Settings open = Settings.defaults().set(Key.REST_HOST, "0.0.0.0", "t");
        assertThatThrownBy(() -> ServingConfig.from(open))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("argus.rest.host").hasMessageContaining("argus.rest.auth-tokens")
                .hasMessageContaining("argus.server.allow-unauthenticated=true");
        assertThat(ServingConfig.from(Settings.defaults().set(Key.REST_HOST, "0.0.0.0", "t").set(Key.REST_AUTH_TOKENS, "tok", "t"))
                .rest()).isPresent();
        assertThat(ServingConfig.from(Settings.defaults().set(Key.REST_HOST, "0.0.0.0", "t")
                .set(Key.SERVER_ALLOW_UNAUTHENTICATED, "true", "t")).rest()).isPresent();
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.GRPC_HOST, "10.1.2.3", "t")))
                .hasMessageContaining("argus.grpc.host").hasMessageContaining("argus.grpc.token");
        assertThat(ServingConfig.from(Settings.defaults().set(Key.GRPC_HOST, "0.0.0.0", "t").set(Key.GRPC_TOKEN, "tok", "t"))
                .grpc()).isPresent();
        for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
            assertThat(ServingConfig.from(Settings.defaults().set(Key.REST_HOST, loopback, "t").set(Key.GRPC_HOST, loopback, "t"))
                    .rest()).as(loopback).isPresent();
        }
        // a REST server that is not started needs no token
        assertThat(ServingConfig.from(Settings.defaults().set(Key.REST_HOST, "0.0.0.0", "t").set(Key.REST_ENABLED, "false", "t"))
                .rest()).isEmpty();
    }

    @Test
    void aForwardingTokenIsNotSentInClearTextBeyondLoopbackUnlessAllowed() {
        Settings remote = Settings.defaults().set(Key.BACKEND, "grpc", "t").set(Key.GRPC_BACKEND_TARGET, "gpu-box:50051", "t")
                .set(Key.GRPC_BACKEND_TOKEN, "tok", "t");
        assertThatThrownBy(() -> ArgusConfig.from(remote, NO_ENV))
                .hasMessageContaining("argus.grpc-backend.token").hasMessageContaining("clear text to gpu-box")
                .hasMessageContaining("argus.grpc-backend.tls=true").hasMessageNotContaining("= 'tok'");
        assertThat(ArgusConfig.from(remote.set(Key.GRPC_BACKEND_ALLOW_PLAINTEXT_TOKEN, "true", "t"), NO_ENV).grpcBackend()).isPresent();
        assertThat(ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "grpc", "t").set(Key.GRPC_BACKEND_TARGET, "127.0.0.1:50051", "t")
                .set(Key.GRPC_BACKEND_TOKEN, "tok", "t"), NO_ENV).grpcBackend()).isPresent();
        assertThat(ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "grpc", "t").set(Key.GRPC_BACKEND_TARGET, "gpu-box:50051", "t")
                .set(Key.GRPC_BACKEND_TOKEN, "tok", "t").set(Key.GRPC_BACKEND_TLS, "true", "t"), NO_ENV).grpcBackend()).isPresent();
    }

    @Test
    void theInjectedEngineFailureRateIsOffByDefaultAndMustBeAShare() {
        assertThat(ArgusConfig.from(Settings.defaults(), NO_ENV).inference().injectedFailureRate()).isZero();
        assertThat(ArgusConfig.from(Settings.defaults().set(Key.FAULTS_ENGINE_FAILURE_RATE, "0.05", "t"), NO_ENV).inference()
                .injectedFailureRate()).isEqualTo(0.05);
        for (String bad : new String[] {"1.5", "-0.1", "NaN", "often"}) {
            assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.FAULTS_ENGINE_FAILURE_RATE, bad, "t"), NO_ENV))
                    .isInstanceOf(ArgusException.class).hasMessageContaining("argus.faults.engine-failure-rate");
        }
    }

    @Test
    void djlPyTorchDefaultsToOneSingleThreadedWorkerPerCpu() {
        ArgusConfig c = ArgusConfig.from(Settings.defaults().set(Key.CPUS, "4", "t").set(Key.BACKEND, "djl-pytorch", "t"), NO_ENV);
        assertThat(c.inference().workers()).isEqualTo(4);
        assertThat(c.djl().intraOpThreads()).isEqualTo(1);
        ArgusConfig tf = ArgusConfig.from(Settings.defaults().set(Key.CPUS, "4", "t").set(Key.BACKEND, "djl-tensorflow", "t"), NO_ENV);
        assertThat(tf.inference().workers()).isEqualTo(1);
        assertThat(tf.djl().intraOpThreads()).isEqualTo(4);
        assertThat(tf.djl().cacheDir()).isEqualTo(tf.dataDir().resolve("djl"));
    }

    @Test
    void tensorRtDefaultsToTwoContextsAndAProfileOf1To32CachedUnderTheDataDir() {
        ArgusConfig c = ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "tensorrt", "t"), Map.of("XDG_DATA_HOME", "/srv/data"));
        assertThat(c.inference().workers()).isEqualTo(2);
        TensorRtConfig t = c.tensorRt();
        assertThat(t.precision()).isEqualTo(TensorRtConfig.Precision.FP32);
        assertThat(new int[] {t.minBatch(), t.optBatch(), t.maxBatch()}).containsExactly(1, 8, 32);
        assertThat(t.workspaceBytes()).isEqualTo(1L << 30);
        assertThat(t.cacheDir()).isEqualTo(Path.of("/srv/data/argus/tensorrt"));
        assertThat(t.deviceId()).isZero();
    }

    @Test
    void aTensorRtBatchProfileOutOfOrderOrAnUnknownPrecisionIsRefusedNamingTheKey() {
        Settings s = Settings.defaults().set(Key.BACKEND, "tensorrt", "t").set(Key.TENSORRT_MIN_BATCH, "4", "t")
                .set(Key.TENSORRT_OPT_BATCH, "2", "t");
        assertThatThrownBy(() -> ArgusConfig.from(s, NO_ENV)).isInstanceOf(ArgusException.class)
                .hasMessageContaining("argus.tensorrt.opt-batch").hasMessageContaining("min 4, opt 2, max 32");
        Settings p = Settings.defaults().set(Key.TENSORRT_PRECISION, "int8", "t");
        assertThatThrownBy(() -> ArgusConfig.from(p, NO_ENV)).hasMessageContaining("argus.tensorrt.precision")
                .hasMessageContaining("fp32").hasMessageContaining("fp16");
    }

    @Test
    void threadsPerWorkerFollowTheCpusAndWorkers() {
        Settings s = Settings.defaults().set(Key.CPUS, "8", "t").set(Key.WORKERS, "2", "t");
        assertThat(ArgusConfig.from(s, NO_ENV).onnx().intraOpThreads()).isEqualTo(4);
        s.set(Key.ONNX_INTRA_OP_THREADS, "3", "t");
        assertThat(ArgusConfig.from(s, NO_ENV).onnx().intraOpThreads()).isEqualTo(3);
    }

    @Test
    void layersFileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("argus.properties"),
                "argus.model=/models/a.onnx\nargus.inference.max-batch=4\nargus.model.layout=nhwc\nargus.model.channel-order=bgr\n"
                        + "argus.model.resize=stretch\n");
        Settings s = Settings.defaults().withFile(file)
                .withEnvironment(Map.of("ARGUS_INFERENCE_MAX_BATCH", "16", "HF_TOKEN", "hf_secret", "HF_HUB_OFFLINE", "1"))
                .set("argus.model", "/models/b.onnx", "flag");
        ArgusConfig c = ArgusConfig.from(s, NO_ENV);
        assertThat(c.modelLocation()).isEqualTo("/models/b.onnx");
        assertThat(c.inference().maxBatch()).isEqualTo(16);
        assertThat(c.model().preprocess().layout()).isEqualTo(TensorLayout.NHWC);
        assertThat(c.model().preprocess().channelOrder()).isEqualTo(ChannelOrder.BGR);
        assertThat(c.model().preprocess().resizeMode()).isEqualTo(ResizeMode.STRETCH);
        assertThat(c.hub().token()).isEqualTo("hf_secret");
        assertThat(c.hub().offline()).isTrue();
        assertThat(s.source(Key.MAX_BATCH)).isEqualTo("env ARGUS_INFERENCE_MAX_BATCH");
    }

    @Test
    void neverPrintsTheToken() {
        Settings s = Settings.defaults().withEnvironment(Map.of("HF_TOKEN", "hf_secret"));
        assertThat(s.dump()).contains("argus.hub.token = <redacted>").doesNotContain("hf_secret");
        assertThat(ArgusConfig.from(s, NO_ENV).hub().toString()).doesNotContain("hf_secret");
        assertThat(ArgusConfig.from(s, NO_ENV).toString()).doesNotContain("hf_secret");
    }

    @Test
    void anUnknownBackendListsTheValidOnes() {
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "tensorflow", "flag --backend"), NO_ENV))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .hasMessageContaining("argus.backend = 'tensorflow'")
                .hasMessageContaining("flag --backend")
                .hasMessageContaining("Valid backends: onnx, djl-pytorch, djl-tensorflow, tensorrt, grpc, cloudflare");
    }

    @Test
    void anUnknownKeyIsRefusedNotIgnored() {
        assertThatThrownBy(() -> Settings.defaults().set("argus.modle", "x", "argus.properties"))
                .hasMessageContaining("Unknown configuration key 'argus.modle'")
                .hasMessageContaining("argus.model");
    }

    @Test
    void badValuesNameTheKeyAndWhatIsValid() {
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.WORKERS, "two", "t"), NO_ENV))
                .hasMessageContaining("argus.inference.workers").hasMessageContaining("whole number");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.MODEL_LAYOUT, "chw", "t"), NO_ENV))
                .hasMessageContaining("nchw, nhwc");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.MODEL_MEAN, "1,2", "t"), NO_ENV))
                .hasMessageContaining("three comma-separated");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.ONNX_DEVICE, "tpu", "t"), NO_ENV))
                .hasMessageContaining("argus.onnx.device").hasMessageContaining("cpu or cuda");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.MAX_BYTES, "0", "t"), NO_ENV))
                .hasMessageContaining("argus.limits.max-bytes");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.HUB_ENDPOINT, "ftp://x", "t"), NO_ENV))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.MODEL_LABELS, "/nonexistent/labels.txt", "t"), NO_ENV))
                .hasMessageContaining("/nonexistent/labels.txt");
    }

    @Test
    void theGrpcBackendNeedsATargetAndTakesItsClientSettings() {
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "grpc", "t"), NO_ENV))
                .hasMessageContaining("argus.grpc-backend.target").hasMessageContaining("host:port");
        Settings s = Settings.defaults().set(Key.BACKEND, "grpc", "t").set(Key.GRPC_BACKEND_TARGET, "gpu-box:50051", "t")
                .set(Key.GRPC_BACKEND_DEADLINE_MS, "2500", "t").set(Key.GRPC_BACKEND_TOKEN, "s3cret", "t")
                .set(Key.GRPC_BACKEND_ALLOW_PLAINTEXT_TOKEN, "true", "t");
        var client = ArgusConfig.from(s, NO_ENV).grpcBackend().orElseThrow();
        assertThat(client.target()).isEqualTo("gpu-box:50051");
        assertThat(client.deadline()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThat(client.token()).contains("s3cret");
        assertThat(client.toString()).doesNotContain("s3cret");
        assertThat(s.dump()).doesNotContain("s3cret");
        assertThat(ArgusConfig.from(Settings.defaults(), NO_ENV).grpcBackend()).isEmpty();
    }

    @Test
    void servingDefaultsToGrpcOnLoopbackWithALimitLargeEnoughForTenMebibyteImages() {
        ServingConfig c = ServingConfig.from(Settings.defaults());
        assertThat(c.warmupRounds()).isEqualTo(3);
        assertThat(c.shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(10));
        var grpc = c.grpc().orElseThrow();
        assertThat(grpc.host()).isEqualTo("127.0.0.1");
        assertThat(grpc.port()).isEqualTo(50051);
        assertThat(grpc.maxInboundMessageBytes()).isGreaterThan(10 * 1024 * 1024);
        assertThat(grpc.authTokens()).isEmpty();
        assertThat(ServingConfig.from(Settings.defaults().set(Key.GRPC_ENABLED, "false", "t")).grpc()).isEmpty();
        var rest = c.rest().orElseThrow();
        assertThat(rest.host()).isEqualTo("127.0.0.1");
        assertThat(rest.port()).isEqualTo(8080);
        assertThat(rest.authTokens()).isEmpty();
        assertThat(rest.maxBodyBytes()).as("a 10 MiB image as a JSON number array fits").isGreaterThanOrEqualTo(5L * 10 * 1024 * 1024);
        var withTokens = ServingConfig.from(Settings.defaults().set(Key.REST_AUTH_TOKENS, "a1, b2,", "t")).rest().orElseThrow();
        assertThat(withTokens.authTokens()).containsExactlyInAnyOrder("a1", "b2");
        assertThat(withTokens.toString()).doesNotContain("a1");
        assertThatThrownBy(() -> ServingConfig.from(Settings.defaults().set(Key.GRPC_PORT, "70000", "t")))
                .hasMessageContaining("argus.grpc.port");
    }

    @Test
    void theCloudflareBackendTakesCredentialsFromTheEnvironmentAndNeverShowsTheToken() {
        Settings s = Settings.defaults().set(Key.BACKEND, "cloudflare", "t")
                .withEnvironment(Map.of("CLOUDFLARE_ACCOUNT_ID", "acc123", "CLOUDFLARE_API_TOKEN", "cf-secret"));
        var cf = ArgusConfig.from(s, NO_ENV).cloudflareBackend().orElseThrow();
        assertThat(cf.accountId()).isEqualTo("acc123");
        assertThat(cf.apiToken()).isEqualTo("cf-secret");
        assertThat(cf.model()).isEqualTo("@cf/microsoft/resnet-50");
        assertThat(cf.toString()).doesNotContain("cf-secret");
        assertThat(s.dump()).doesNotContain("cf-secret").contains("argus.cloudflare.account-id = acc123    (env CLOUDFLARE_ACCOUNT_ID)");
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.BACKEND, "cloudflare", "t"), NO_ENV))
                .isInstanceOf(ArgusException.class).hasMessageContaining("CLOUDFLARE_ACCOUNT_ID");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(Key.ONNX_INTRA_OP_THREADS.envName()).isEqualTo("ARGUS_ONNX_INTRA_OP_THREADS");
        assertThat(Key.DATA_DIR.envName()).isEqualTo("ARGUS_DATA_DIR");
    }
}
