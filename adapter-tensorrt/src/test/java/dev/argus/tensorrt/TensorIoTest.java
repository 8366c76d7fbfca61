package dev.argus.tensorrt;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorIoTest {
    private final TensorIo io = new TensorIo("x", new long[] {3, 224, 224}, "y", new long[] {1000});

    @Test
    void theOutputShapeForTheBatchIsAccepted() {
        assertThatCode(() -> io.checkOutputShape(new long[] {8, 1000}, 8)).doesNotThrowAnyException();
    }

    @Test
    void anOutputThatWouldNotFitItsBufferIsRefused() {
        assertThatThrownBy(() -> io.checkOutputShape(new long[] {8000}, 8)).hasMessageContaining("[8000]")
                .hasMessageContaining("expected [8, 1000]");
        assertThatThrownBy(() -> io.checkOutputShape(new long[] {8, 1001}, 8)).hasMessageContaining("[8, 1001]");
        assertThatThrownBy(() -> io.checkOutputShape(new long[] {4, 1000}, 8)).hasMessageContaining("batch of 8");
        assertThatThrownBy(() -> io.checkOutputShape(new long[] {}, 8)).hasMessageContaining("[]");
    }
}
