package dev.argus.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.Timings;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.model.ModelInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Batches to rows: bad images become error rows, backend failures fail the task. */
class BatchClassifierTest {

    /** Classifies "ok*" images, fails "bad*" ones alone, and fails whole calls holding "boom" with {@code boom}. */
    static final class FakeUseCase implements ClassifyImageUseCase {
        final List<Integer> calls = new ArrayList<>();
        ErrorCode boom = ErrorCode.INFERENCE_FAILED;

        @Override
        public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
            calls.add(images.size());
            List<ClassificationOutcome> out = new ArrayList<>();
            for (ImageInput i : images) {
                String text = new String(((ImageInput.Encoded) i).bytes(), StandardCharsets.UTF_8);
                if (text.equals("boom")) {
                    throw new ArgusException(boom, "engine exploded");
                }
                out.add(text.startsWith("ok") ? new ClassificationOutcome.Success(new ClassificationResult(
                        List.of(new Classification("CAT", 0.75, 281), new Classification("DOG", 0.25, 207)), "fake", "m",
                        new Timings(0, 0, 0))) : new ClassificationOutcome.Failure(ErrorCode.INVALID_INPUT, "not an image: " + text));
            }
            return out;
        }

        @Override
        public ModelInfo model() {
            return new ModelInfo("fake", "m", "fake engine", Optional.empty(), 1000);
        }
    }

    private static BatchClassifier.Image image(String path, String content) {
        return new BatchClassifier.Image(path, content == null ? null : content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void turnsEachImageIntoARowInOrderWithErrorRowsForBadOnes() {
        FakeUseCase useCase = new FakeUseCase();
        List<ResultRow> rows = new BatchClassifier(useCase, ClassifyOptions.defaults(), "fake", "m")
                .classify(List.of(image("a", "ok1"), image("b", "bad"), image("c", null), image("d", "ok2")));

        assertThat(rows).extracting(ResultRow::path).containsExactly("a", "b", "c", "d");
        assertThat(rows.get(0).labels()).containsExactly("CAT", "DOG");
        assertThat(rows.get(0).scores()).containsExactly(0.75, 0.25);
        assertThat(rows.get(0).classIndices()).containsExactly(281, 207);
        assertThat(rows.get(0).failed()).isFalse();
        assertThat(rows.get(1).errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(rows.get(1).labels()).isNull();
        assertThat(rows.get(1).backend()).isEqualTo("fake");
        assertThat(rows.get(2).errorMessage()).contains("null");
        assertThat(useCase.calls).containsExactly(3);
    }

    @Test
    void retriesAFailedBatchOneByOneSoThatOnlyTheCulpritFails() {
        FakeUseCase useCase = new FakeUseCase();
        List<ResultRow> rows = new BatchClassifier(useCase, ClassifyOptions.defaults(), "fake", "m")
                .classify(List.of(image("a", "ok1"), image("b", "boom"), image("c", "ok2")));

        assertThat(rows).extracting(ResultRow::failed).containsExactly(false, true, false);
        assertThat(rows.get(1).errorCode()).isEqualTo(ErrorCode.INFERENCE_FAILED);
        assertThat(rows.get(1).errorMessage()).isEqualTo("engine exploded");
        assertThat(useCase.calls).containsExactly(3, 1, 1, 1);
    }

    @Test
    void failsTheTaskWhenTheBackendItselfFailsSoThatSparkRetriesIt() {
        for (ErrorCode code : List.of(ErrorCode.OVERLOADED, ErrorCode.TIMEOUT, ErrorCode.REMOTE_FAILURE, ErrorCode.MODEL_UNAVAILABLE)) {
            FakeUseCase useCase = new FakeUseCase();
            useCase.boom = code;
            BatchClassifier c = new BatchClassifier(useCase, ClassifyOptions.defaults(), "fake", "m");
            assertThatThrownBy(() -> c.classify(List.of(image("a", "ok1"), image("b", "boom"))))
                    .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(code));
        }
    }

    @Test
    void writesRowsInTheOutputSchema() {
        ResultRow failed = ResultRow.failure("p", "onnx", "m", ErrorCode.INPUT_TOO_LARGE, "too big");
        assertThat(failed.toRow().length()).isEqualTo(ResultRow.SCHEMA.fields().length);
        assertThat(failed.toRow().getStruct(6).getString(0)).isEqualTo("INPUT_TOO_LARGE");
        assertThat(ResultRow.SCHEMA.fieldNames()).containsExactly("path", "labels", "scores", "class_indices", "backend", "model", "error");
    }
}
