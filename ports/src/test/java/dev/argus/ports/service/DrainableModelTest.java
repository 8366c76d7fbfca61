package dev.argus.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ErrorCode;
import dev.argus.domain.ImageInput;
import dev.argus.domain.Timings;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.ModelInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainableModelTest {

    /** A use case answering with its own name as the model, holding each call until {@code release} opens. */
    private static ClassifyImageUseCase named(String name, CountDownLatch entered, CountDownLatch release) {
        return new ClassifyImageUseCase() {
            @Override
            public ClassificationResult classify(ImageInput image, ClassifyOptions options) {
                entered.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ClassificationResult(List.of(), "test", name, new Timings(0, 0, 0));
            }

            @Override
            public List<ClassificationOutcome> classifyBatch(List<ImageInput> images, ClassifyOptions options) {
                return List.of(new ClassificationOutcome.Success(classify(images.get(0), options)));
            }

            @Override
            public ModelInfo model() {
                return new ModelInfo("test", name, "none", Optional.empty(), 1000);
            }
        };
    }

    @Test
    void aRetiredModelFinishesItsCallsInFlightSendsLateOnesToItsSuccessorAndFailsThemWithoutOne() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DrainableModel old = new DrainableModel("'m' version 1", named("old", entered, release), null);
        CompletableFuture<ClassificationResult> inFlight = CompletableFuture.supplyAsync(
                () -> old.classify(ImageInput.of(new byte[1]), ClassifyOptions.defaults()));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(old.inFlight()).isEqualTo(1);

        CountDownLatch open = new CountDownLatch(0);
        ServedModel next = new ServedModel("m", "2", named("new", new CountDownLatch(1), open), Optional.empty(), List.of(), true,
                () -> true);
        old.retire(() -> Optional.of(next));
        assertThat(old.drain(Duration.ofMillis(50))).as("a call is still in flight").isFalse();
        assertThat(old.classify(ImageInput.of(new byte[1]), ClassifyOptions.defaults()).model())
                .as("a late call goes to the successor").isEqualTo("new");
        release.countDown();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).model()).as("the call in flight finishes on the old version").isEqualTo("old");
        assertThat(old.drain(Duration.ofSeconds(5))).isTrue();

        DrainableModel gone = new DrainableModel("'x' version 1", named("x", new CountDownLatch(1), open), null);
        gone.retire(Optional::empty);
        assertThatThrownBy(() -> gone.classifyBatch(List.of(ImageInput.of(new byte[1])), ClassifyOptions.defaults()))
                .isInstanceOfSatisfying(ArgusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE))
                .hasMessageContaining("'x' version 1 was unloaded");
        assertThat(gone.inFlight()).isZero();
        assertThat(gone.tensors()).isEmpty();
    }
}
