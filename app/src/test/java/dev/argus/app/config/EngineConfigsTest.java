package dev.argus.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.djl.DjlConfig;
import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.onnx.OnnxConfig;
import dev.argus.tensorrt.TensorRtConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engines' keys become the adapters' own configuration records; a value a record refuses is reported by key. */
class EngineConfigsTest {
    private static final Map<String, String> ENV = Map.of("XDG_DATA_HOME", "/srv/data");
    private static final Path DATA = Path.of("/srv/data/argus");

    private static Settings cpus(int n) {
        return Settings.defaults().set(Key.CPUS, String.valueOf(n), "t");
    }

    @Test
    void theDefaultKeysGiveEachAdaptersDefaultsWithThreadsAndCachesResolved() {
        ArgusConfig c = ArgusConfig.from(cpus(4), ENV);
        assertThat(c.onnx()).isEqualTo(OnnxConfig.defaults().withThreads(4));
        assertThat(c.djl()).isEqualTo(DjlConfig.defaults(DATA.resolve("djl")).withThreads(4, 1));
        assertThat(c.tensorRt()).isEqualTo(TensorRtConfig.defaults().withCacheDir(DATA.resolve("tensorrt")));
    }

    @Test
    void everyOnnxKeyMapsToItsSetting() {
        Settings s = cpus(4).set(Key.ONNX_INTRA_OP_THREADS, "3", "t").set(Key.ONNX_INTER_OP_THREADS, "2", "t")
                .set(Key.ONNX_OPTIMIZATION, "Basic", "t").set(Key.ONNX_DEVICE, "cuda", "t").set(Key.ONNX_CUDA_DEVICE, "1", "t");
        assertThat(ArgusConfig.from(s, ENV).onnx())
                .isEqualTo(new OnnxConfig(3, 2, OnnxConfig.Optimization.BASIC, OnnxConfig.Device.CUDA, 1));
    }

    @Test
    void everyDjlKeyMapsToItsSetting() {
        Settings s = cpus(4).set(Key.DJL_INTRA_OP_THREADS, "3", "t").set(Key.DJL_INTER_OP_THREADS, "2", "t")
                .set(Key.DJL_DEVICE, "cuda", "t").set(Key.DJL_GPU_ID, "1", "t").set(Key.DJL_CACHE_DIR, "/c", "t")
                .set(Key.DJL_NATIVES_DIR, "/n", "t");
        assertThat(ArgusConfig.from(s, ENV).djl())
                .isEqualTo(new DjlConfig(3, 2, DjlConfig.Device.GPU, 1, Path.of("/c"), Optional.of(Path.of("/n"))));
    }

    @Test
    void everyTensorRtKeyMapsToItsSetting() {
        Settings s = cpus(4).set(Key.TENSORRT_PRECISION, "FP16", "t").set(Key.TENSORRT_MIN_BATCH, "2", "t")
                .set(Key.TENSORRT_OPT_BATCH, "4", "t").set(Key.TENSORRT_MAX_BATCH, "64", "t")
                .set(Key.TENSORRT_WORKSPACE_MB, "2048", "t").set(Key.TENSORRT_CACHE_DIR, "/engines", "t")
                .set(Key.TENSORRT_DEVICE, "3", "t");
        assertThat(ArgusConfig.from(s, ENV).tensorRt())
                .isEqualTo(new TensorRtConfig(TensorRtConfig.Precision.FP16, 2, 4, 64, 2048L << 20, Path.of("/engines"), 3));
    }

    @Test
    void aTunedSizingChangesTheEngineThreadsOnly() {
        ArgusConfig c = ArgusConfig.from(cpus(4).set(Key.ONNX_INTER_OP_THREADS, "2", "t"), ENV).withSizing(2, 2, 4, "test");
        assertThat(c.onnx()).isEqualTo(OnnxConfig.defaults().withThreads(2).withInterOpThreads(2));
        assertThat(c.djl().intraOpThreads()).isEqualTo(2);
    }

    /** The adapter's record decides what is valid; the error names the key, the value, where it came from and why. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "argus.onnx.intra-op-threads  | -1    | ONNX Runtime intra-op threads must be 0 (default) to 1024, got -1",
        "argus.onnx.intra-op-threads  | 1025  | 0 (default) to 1024",
        "argus.onnx.inter-op-threads  | 0     | ONNX Runtime inter-op threads must be 1 to 1024, got 0",
        "argus.onnx.optimization      | max   | use none, basic, extended or all",
        "argus.onnx.device            | tpu   | use cpu or cuda",
        "argus.onnx.cuda-device       | 65    | CUDA device index must be 0 to 64, got 65",
        "argus.djl.intra-op-threads   | -2    | DJL intra-op threads must be 0 (default) to 1024, got -2",
        "argus.djl.inter-op-threads   | 0     | DJL inter-op threads must be 1 to 1024",
        "argus.djl.device             | tpu   | use cpu or gpu",
        "argus.djl.gpu-id             | -1    | DJL GPU index must be 0 to 64",
        "argus.tensorrt.precision     | int8  | use fp32 or fp16",
        "argus.tensorrt.opt-batch     | 64    | got min 1, opt 64, max 32",
        "argus.tensorrt.max-batch     | 2048  | got min 1, opt 8, max 2048",
        "argus.tensorrt.workspace-mb  | 0     | TensorRT workspace must be 1 MiB to 1 TiB, got 0 bytes",
        "argus.tensorrt.workspace-mb  | 99999999999999 | 1 MiB to 1 TiB",
        "argus.tensorrt.device        | -1    | CUDA device id must be 0 to 64",
    })
    void anAdaptersRefusalNamesTheKeyItsValueAndItsSource(String key, String value, String reason) {
        Settings s = Settings.defaults().set(key, value, "file argus.properties");
        assertThatThrownBy(() -> ArgusConfig.from(s, ENV)).isInstanceOf(ArgusException.class)
                .hasMessageStartingWith("Invalid " + (key.equals("argus.tensorrt.max-batch") ? "argus.tensorrt.opt-batch = '8'"
                        : key + " = '" + value + "'") + " (from ")
                .hasMessageContaining(reason)
                .extracting(e -> ((ArgusException) e).code()).isEqualTo(ErrorCode.CONFIGURATION);
    }

    @Test
    void aValueThatIsNoNumberIsRefusedBeforeTheAdapterSeesIt() {
        assertThatThrownBy(() -> ArgusConfig.from(Settings.defaults().set(Key.ONNX_INTER_OP_THREADS, "two", "t"), ENV))
                .hasMessage("Invalid argus.onnx.inter-op-threads = 'two' (from t). Expected a whole number.");
    }

    @Test
    void checkedNamesTheKeyForConfigurationErrorsOnlyAndEndsWithOneFullStop() {
        ConfigReader r = new ConfigReader(Settings.defaults().set(Key.ONNX_DEVICE, "tpu", "env ARGUS_ONNX_DEVICE"));
        assertThatThrownBy(() -> r.checked(Key.ONNX_DEVICE, OnnxConfig.defaults(),
                x -> x.withDevice(OnnxConfig.Device.parse("tpu"), 0)))
                .hasMessage("Invalid argus.onnx.device = 'tpu' (from env ARGUS_ONNX_DEVICE). Unknown ONNX device 'tpu': use cpu or cuda.");
        assertThatThrownBy(() -> r.checked(Key.DJL_NATIVES_DIR, "x", x -> {
            throw new IllegalArgumentException("bad path");
        })).hasMessageContaining("argus.djl.natives-dir").hasMessageEndingWith("bad path.");
        ArgusException notConfiguration = ArgusException.modelUnavailable("gone", null);
        assertThatThrownBy(() -> r.checked(Key.ONNX_DEVICE, "x", x -> {
            throw notConfiguration;
        })).isSameAs(notConfiguration);
    }
}
