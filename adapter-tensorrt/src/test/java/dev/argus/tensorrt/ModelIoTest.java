package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelIoTest {
    private static final int HALF = 1;

    private static ModelIo.Tensor in(long... dims) {
        return new ModelIo.Tensor("input", true, ModelIo.FLOAT, "kFLOAT", dims);
    }

    private static ModelIo.Tensor out(String name, long... dims) {
        return new ModelIo.Tensor(name, false, ModelIo.FLOAT, "kFLOAT", dims);
    }

    private static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (ArgusException e) {
            return e.code();
        }
        throw new AssertionError("no exception");
    }

    @Test
    void resnetShapedModelsPass() {
        TensorIo io = ModelIo.validate(List.of(in(-1, 3, 224, 224), out("logits", -1, 1000)), 1, 32, "m");
        assertThat(io.inputName()).isEqualTo("input");
        assertThat(io.sampleShape()).containsExactly(3, 224, 224);
        assertThat(io.outputName()).isEqualTo("logits");
        assertThat(io.outputSampleShape()).containsExactly(1000);
        assertThat(io.inputPerSample()).isEqualTo(3 * 224 * 224);
    }

    @Test
    void aFixedBatchPassesOnlyWithTheMatchingProfile() {
        assertThat(ModelIo.validate(List.of(in(8, 3, 224, 224), out("y", 8, 1000)), 8, 8, "m").outputPerSample()).isEqualTo(1000);
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(8, 3, 224, 224), out("y", 8, 1000)), 1, 32, "m"))
                .hasMessageContaining("fixed at 8").hasMessageContaining("8/8/8");
        assertThat(codeOf(() -> ModelIo.validate(List.of(in(8, 3, 224, 224), out("y", 8, 1000)), 1, 32, "m")))
                .isEqualTo(ErrorCode.CONFIGURATION);
    }

    @Test
    void aSecondOutputIsRefusedBeforeABuild() {
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, 224, 224), out("logits", -1, 1000), out("features", -1, 2048)),
                1, 32, "the model r.onnx"))
                .isInstanceOf(ArgusException.class)
                .hasMessageContaining("one input and one output").hasMessageContaining("r.onnx")
                .hasMessageContaining("features");
        assertThatThrownBy(() -> ModelIo.validate(List.of(out("logits", -1, 1000)), 1, 32, "m")).hasMessageContaining("inputs []");
    }

    @Test
    void onlyTheBatchDimensionMayBeDynamic() {
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, -1, -1), out("y", -1, 1000)), 1, 32, "m"))
                .hasMessageContaining("only the batch dimension").hasMessageContaining("[-1, 3, -1, -1]");
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", -1, 0)), 1, 32, "m"))
                .hasMessageContaining("output").hasMessageContaining("no dimension may be empty");
    }

    @Test
    void anOutputSizedOnlyOnceTheBatchIsSetIsResolvedThroughTheContextsShape() {
        TensorIo io = ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", -1, -1)), 1, 32, "m");
        assertThat(ModelIo.outputResolved(io)).isFalse();
        TensorIo resolved = ModelIo.resolveOutput(io, new long[] {4, 2048}, 4, 32, "m");
        assertThat(ModelIo.outputResolved(resolved)).isTrue();
        assertThat(resolved.outputSampleShape()).containsExactly(2048);
        assertThat(resolved.sampleShape()).containsExactly(3, 224, 224);
        assertThatThrownBy(() -> ModelIo.resolveOutput(io, new long[] {8192}, 4, 32, "m")).hasMessageContaining("[8192]");
        assertThatThrownBy(() -> ModelIo.resolveOutput(io, new long[] {4, -1}, 4, 32, "m")).hasMessageContaining("fixed dimensions");
        assertThatThrownBy(() -> ModelIo.resolveOutput(io, new long[] {2, 2048}, 4, 32, "m")).hasMessageContaining("batch of 4");
        TensorIo known = ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", -1, 1000)), 1, 32, "m");
        assertThatThrownBy(() -> ModelIo.resolveOutput(known, new long[] {4, 1001}, 4, 32, "m"))
                .as("disagrees with what the engine declared").hasMessageContaining("[4, 1001]");
    }

    @Test
    void batchesTooLargeForAJavaArrayAreRefused() {
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, 4096, 4096), out("y", -1, 1000)), 1, 64, "m"))
                .hasMessageContaining("2^31").hasMessageContaining("max-batch");
        assertThat(ModelIo.validate(List.of(in(-1, 3, 4096, 4096), out("y", -1, 1000)), 1, 16, "m").inputPerSample())
                .isEqualTo(3 * 4096 * 4096);
        TensorIo io = ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", -1, -1)), 1, 64, "m");
        assertThatThrownBy(() -> ModelIo.resolveOutput(io, new long[] {1, 1L << 30}, 1, 64, "m")).hasMessageContaining("2^31");
    }

    @Test
    void tensorsWithoutABatchDimensionAreRefused() {
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(), out("y", -1, 1000)), 1, 32, "m"))
                .hasMessageContaining("batch dimension first");
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", 1000)), 1, 32, "m"))
                .hasMessageContaining("batch dimension first");
    }

    @Test
    void anOutputWhoseFirstDimensionIsNotTheBatchIsRefused() {
        assertThatThrownBy(() -> ModelIo.validate(List.of(in(-1, 3, 224, 224), out("y", 1, 1000)), 1, 32, "m"))
                .hasMessageContaining("first dimension must be the batch");
    }

    @Test
    void nonFloatTensorsAreRefused() {
        ModelIo.Tensor half = new ModelIo.Tensor("input", true, HALF, "kHALF", new long[] {-1, 3, 224, 224});
        assertThatThrownBy(() -> ModelIo.validate(List.of(half, out("y", -1, 1000)), 1, 32, "m"))
                .hasMessageContaining("kHALF").hasMessageContaining("float32");
    }
}
