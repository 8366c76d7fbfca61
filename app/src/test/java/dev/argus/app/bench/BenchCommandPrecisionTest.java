package dev.argus.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.argus.app.config.Backend;
import dev.argus.bench.run.BackendSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which backends the agreement verdict holds to the fp16 bound: TensorRT at fp16, however the worker is told so. */
class BenchCommandPrecisionTest {
    private static final List<BackendSpec> SPECS = BackendSpec.parseList(
            "onnx=m.onnx,tensorrt=m.onnx,tensorrt:half{ARGUS_TENSORRT_PRECISION=fp16}=m.onnx,"
                    + "djl-pytorch{ARGUS_TENSORRT_PRECISION=fp16}=m.pt", Backend.names());

    private static BenchCommand command(Map<String, String> env, String... args) {
        BenchCommand command = new BenchCommand(System.out, System.err, env);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void onlyTensorRtAtFp16ComputesInHalfPrecision() {
        assertThat(command(Map.of()).halfPrecision(SPECS)).containsExactly("tensorrt:half{ARGUS_TENSORRT_PRECISION=fp16}");
    }

    @Test
    void theCommandsEnvironmentReachesEveryWorker() {
        assertThat(command(Map.of("ARGUS_TENSORRT_PRECISION", "fp16")).halfPrecision(SPECS))
                .containsExactlyInAnyOrder("tensorrt", "tensorrt:half{ARGUS_TENSORRT_PRECISION=fp16}");
    }

    @Test
    void aBackendsOwnVariableWinsOverTheCommandsEnvironment() {
        List<BackendSpec> fp32 = BackendSpec.parseList("tensorrt{ARGUS_TENSORRT_PRECISION=fp32}=m.onnx", Backend.names());
        assertThat(command(Map.of("ARGUS_TENSORRT_PRECISION", "fp16")).halfPrecision(fp32)).isEmpty();
    }
}
