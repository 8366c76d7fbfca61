package dev.argus.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageInputTest {
    private static final InputLimits LIMITS = InputLimits.defaults();

    private static ArgusException failure(double... values) {
        try {
            ImageInput.ofNumbers(values).toBytes(LIMITS);
        } catch (ArgusException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void turnsByteValuesIntoTheFileBytes() {
        byte[] bytes = ImageInput.ofNumbers(new double[] {137, 80, 78, 71, 0, 255}).toBytes(LIMITS);
        assertThat(bytes).containsExactly((byte) 137, (byte) 80, (byte) 78, (byte) 71, (byte) 0, (byte) 255);
    }

    @Test
    void rejectsNumbersAbove255NamingTheIndexAndValue() {
        ArgusException e = failure(1, 2, 256, 300);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).contains("image[2] = 256").contains("above 255");
    }

    @Test
    void rejectsNegatives() {
        assertThat(failure(0, -1).getMessage()).contains("image[1] = -1").contains("negative");
    }

    @Test
    void rejectsNonIntegers() {
        assertThat(failure(1.5).getMessage()).contains("image[0] = 1.5").contains("not an integer");
    }

    @Test
    void rejectsNanAndInfinity() {
        assertThat(failure(3, Double.NaN).getMessage()).contains("image[1] = NaN").contains("not a finite number");
        assertThat(failure(Double.POSITIVE_INFINITY).getMessage()).contains("image[0] = Infinity");
    }

    @Test
    void rejectsEmptyInputInBothForms() {
        assertThat(failure().getMessage()).contains("empty");
        assertThatThrownBy(() -> ImageInput.of(new byte[0]).toBytes(LIMITS))
                .isInstanceOf(ArgusException.class).hasMessageContaining("empty");
    }

    @Test
    void rejectsInputsOverTheSizeLimitBeforeLookingAtThem() {
        InputLimits small = new InputLimits(4);
        assertThatThrownBy(() -> ImageInput.of(new byte[5]).toBytes(small))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE))
                .hasMessageContaining("5 bytes").hasMessageContaining("limit is 4");
        assertThatThrownBy(() -> ImageInput.ofNumbers(new double[] {1, 2, 3, 4, 999}).toBytes(small))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_TOO_LARGE));
    }

    @Test
    void defaultLimitIsTenMebibytes() {
        assertThat(InputLimits.defaults().maxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThatThrownBy(() -> new InputLimits(0)).isInstanceOf(ArgusException.class);
    }
}
