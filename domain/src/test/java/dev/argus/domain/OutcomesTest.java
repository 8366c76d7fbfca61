package dev.argus.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    private static ClassificationOutcome ok(String what) {
        return new ClassificationOutcome.Success(new ClassificationResult(List.of(), "test", what, Timings.NONE));
    }

    @Test
    void rejectedItemsFailInTheirPlacesAndTheRestAreClassifiedTogether() {
        List<List<Integer>> calls = new ArrayList<>();
        List<ClassificationOutcome> out = Outcomes.classify(List.of(1, -2, 3, -4, 5), i -> {
            if (i < 0) {
                throw ArgusException.invalidInput("item " + i + " is negative", InputField.imageElement(-i));
            }
            return i * 10;
        }, prepared -> {
            calls.add(prepared);
            return prepared.stream().map(p -> ok("m" + p)).toList();
        });
        assertThat(calls).containsExactly(List.of(10, 30, 50));
        assertThat(out).hasSize(5);
        assertThat(((ClassificationOutcome.Success) out.get(0)).result().model()).isEqualTo("m10");
        assertThat(((ClassificationOutcome.Success) out.get(2)).result().model()).isEqualTo("m30");
        assertThat(((ClassificationOutcome.Success) out.get(4)).result().model()).isEqualTo("m50");
        ClassificationOutcome.Failure f = (ClassificationOutcome.Failure) out.get(3);
        assertThat(f.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(f.message()).isEqualTo("item -4 is negative");
        assertThat(f.field()).as("the field travels as data").isEqualTo(InputField.imageElement(4));
        assertThat(f.toException().field()).contains(InputField.imageElement(4));
    }

    @Test
    void whenEveryItemIsRejectedNothingIsClassified() {
        List<ClassificationOutcome> out = Outcomes.classify(List.of("a", "b"), s -> {
            throw ArgusException.tooLarge(s + " is too large");
        }, prepared -> {
            throw new AssertionError("nothing to classify");
        });
        assertThat(out).extracting(o -> ((ClassificationOutcome.Failure) o).code())
                .containsExactly(ErrorCode.INPUT_TOO_LARGE, ErrorCode.INPUT_TOO_LARGE);
    }

    @Test
    void aFailureOfTheWholeCallIsTheCallersAndAMiscountIsABug() {
        assertThatThrownBy(() -> Outcomes.classify(List.of(1), i -> i, p -> {
            throw new ArgusException(ErrorCode.OVERLOADED, "busy");
        })).isInstanceOf(ArgusException.class).hasMessage("busy");
        assertThatThrownBy(() -> Outcomes.classify(List.of(1, 2), i -> i, p -> List.of(ok("one"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 items, got 1");
    }
}
