package dev.argus.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.TensorLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DjlModelTest {
    private static final Path M = Path.of("m.pt");

    @Test
    void ofIsNchw224WithNamesFromTheModel() {
        DjlModel m = DjlModel.of(DjlModel.Engine.PYTORCH, M);
        assertThat(m.path()).isEqualTo(M);
        assertThat(m.layout()).isEqualTo(TensorLayout.NCHW);
        assertThat(m.inputSize()).isEqualTo(224);
        assertThat(m.inputName()).isEmpty();
        assertThat(m.outputName()).isEmpty();
        assertThat(m.withNames("in", "out").withLayout(TensorLayout.NHWC, 299))
                .isEqualTo(new DjlModel(DjlModel.Engine.PYTORCH, M, "in", "out", TensorLayout.NHWC, 299));
    }

    @Test
    void parsesEnginesByArgusNames() {
        assertThat(DjlModel.Engine.parse("djl-pytorch")).isEqualTo(DjlModel.Engine.PYTORCH);
        assertThat(DjlModel.Engine.parse("TensorFlow")).isEqualTo(DjlModel.Engine.TENSORFLOW);
        assertThat(DjlModel.Engine.TENSORFLOW.backend()).isEqualTo("djl-tensorflow");
        assertThatThrownBy(() -> DjlModel.Engine.parse("mxnet")).isInstanceOf(ArgusException.class)
                .hasMessageContaining("pytorch or tensorflow");
    }

    @Test
    void refusesAnEmptyInputSizeAndMissingParts() {
        DjlModel m = DjlModel.of(DjlModel.Engine.PYTORCH, M);
        assertThatThrownBy(() -> m.withLayout(TensorLayout.NHWC, 0)).hasMessageContaining("input size");
        assertThatThrownBy(() -> DjlModel.of(DjlModel.Engine.PYTORCH, null)).isInstanceOf(NullPointerException.class);
    }
}
