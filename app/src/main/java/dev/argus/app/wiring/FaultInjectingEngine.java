package dev.argus.app.wiring;

import dev.argus.domain.ArgusException;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.out.InferenceEngine;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * An engine that fails a share of its calls on purpose ({@code argus.faults.engine-failure-rate}), so that a soak test
 * can show what the server does when the engine fails under load: the calls it fails give {@code INFERENCE_FAILED},
 * exactly as a native engine error does, and every other call goes to the real engine. Its first
 * {@link #SPARED_CALLS} calls are spared: they are the model's warm-up, which a server needs to start serving at all.
 */
final class FaultInjectingEngine implements InferenceEngine {
    private final InferenceEngine engine;
    private final double rate;
    private final DoubleSupplier random;
    /** More than a warm-up makes ({@code argus.server.warmup-rounds}, 3 by default, one call each). */
    static final long SPARED_CALLS = 16;
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    FaultInjectingEngine(InferenceEngine engine, double rate, DoubleSupplier random) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1]: " + rate);
        }
        this.engine = engine;
        this.rate = rate;
        this.random = random;
    }

    /** {@code engine} itself when {@code rate} is 0, else the engine failing that share of its calls at random. */
    static InferenceEngine wrap(InferenceEngine engine, double rate) {
        if (rate == 0) {
            return engine;
        }
        System.getLogger(FaultInjectingEngine.class.getName()).log(System.Logger.Level.WARNING,
                "argus.faults.engine-failure-rate = {0}: about {1}% of engine calls will fail on purpose (a soak test setting; "
                        + "never set it in production)", rate, Math.round(rate * 1000) / 10.0);
        return new FaultInjectingEngine(engine, rate, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public FloatTensor infer(FloatTensor input) {
        if (calls.incrementAndGet() > SPARED_CALLS && random.getAsDouble() < rate) {
            long n = injected.incrementAndGet();
            throw ArgusException.inferenceFailed("Injected engine failure #" + n + " (argus.faults.engine-failure-rate = "
                    + rate + ")", null);
        }
        return engine.infer(input);
    }

    /** Calls failed on purpose so far. */
    long injected() {
        return injected.get();
    }

    @Override
    public String describe() {
        return engine.describe() + ", failing " + rate + " of calls on purpose";
    }

    @Override
    public java.util.Map<String, String> modelProperties() {
        return engine.modelProperties();
    }

    @Override
    public int maxBatchSize() {
        return engine.maxBatchSize();
    }

    @Override
    public void close() {
        engine.close();
    }
}
