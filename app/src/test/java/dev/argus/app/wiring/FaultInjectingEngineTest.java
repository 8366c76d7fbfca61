package dev.argus.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ErrorCode;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaultInjectingEngineTest {

    /** Counts calls that reach it and answers with a tensor of the right shape. */
    private static final class CountingEngine implements InferenceEngine {
        final AtomicInteger calls = new AtomicInteger();
        boolean closed;

        @Override
        public FloatTensor infer(FloatTensor input) {
            calls.incrementAndGet();
            return new FloatTensor(new long[] {input.shape()[0], 2}, new float[(int) input.shape()[0] * 2]);
        }

        @Override
        public String describe() {
            return "counting";
        }

        @Override
        public int maxBatchSize() {
            return 7;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final FloatTensor ONE = new FloatTensor(new long[] {1, 3}, new float[3]);

    @Test
    void aRateOfZeroLeavesTheEngineAlone() {
        CountingEngine real = new CountingEngine();
        assertThat(FaultInjectingEngine.wrap(real, 0)).isSameAs(real);
    }

    @Test
    void failsAboutTheConfiguredShareWithTheEnginesOwnErrorAndPassesTheRestThrough() {
        CountingEngine real = new CountingEngine();
        SplittableRandom random = new SplittableRandom(42);
        FaultInjectingEngine faulty = new FaultInjectingEngine(real, 0.25, random::nextDouble);
        for (int i = 0; i < FaultInjectingEngine.SPARED_CALLS; i++) {
            assertThat(faulty.infer(ONE).shape()).as("the warm-up's calls are spared").containsExactly(1, 2);
        }
        real.calls.set(0);
        int failed = 0;
        for (int i = 0; i < 4000; i++) {
            try {
                assertThat(faulty.infer(ONE).shape()).containsExactly(1, 2);
            } catch (ArgusException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_FAILED);
                assertThat(e.getMessage()).contains("Injected engine failure").contains("argus.faults.engine-failure-rate");
                failed++;
            }
        }
        assertThat(failed).isBetween(900, 1100);
        assertThat(faulty.injected()).isEqualTo(failed);
        assertThat(real.calls.get()).isEqualTo(4000 - failed);
    }

    @Test
    void aRateOfOneFailsEveryCallAfterTheWarmUpsAndTheRealEngineIsNotCalledForThem() {
        CountingEngine real = new CountingEngine();
        InferenceEngine faulty = new FaultInjectingEngine(real, 1, () -> 0.999999);
        for (int i = 0; i < FaultInjectingEngine.SPARED_CALLS; i++) {
            faulty.infer(ONE);
        }
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> faulty.infer(ONE)).isInstanceOf(ArgusException.class);
        }
        assertThat(real.calls.get()).isEqualTo(FaultInjectingEngine.SPARED_CALLS);
    }

    @Test
    void describesItselfAndDelegatesBatchSizeAndClose() {
        CountingEngine real = new CountingEngine();
        InferenceEngine faulty = new FaultInjectingEngine(real, 0.5, () -> 1);
        assertThat(faulty.describe()).contains("counting").contains("0.5");
        assertThat(faulty.maxBatchSize()).isEqualTo(7);
        faulty.close();
        assertThat(real.closed).isTrue();
    }

    @Test
    void aRateOutsideZeroToOneIsNotAnEngine() {
        assertThatThrownBy(() -> new FaultInjectingEngine(new CountingEngine(), 1.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
