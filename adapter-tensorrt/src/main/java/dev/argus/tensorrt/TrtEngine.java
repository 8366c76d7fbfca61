package dev.argus.tensorrt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import dev.argus.domain.ArgusException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * The runtime and the deserialised engine, created together and deleted in reverse order (the engine before the
 * runtime, as TensorRT requires). The logger is process-wide and outlives both.
 */
final class TrtEngine implements AutoCloseable {
    final TrtLogger logger;
    final IRuntime runtime;
    final ICudaEngine engine;
    final TensorIo io;

    private TrtEngine(TrtLogger logger, IRuntime runtime, ICudaEngine engine, TensorIo io) {
        this.logger = logger;
        this.runtime = runtime;
        this.engine = engine;
        this.io = io;
    }

    /**
     * Deserialises {@code plan} and checks its input and output against what Argus can serve ({@link ModelIo});
     * null when TensorRT refuses the plan (stale or built elsewhere), {@code refusal} then says why; {@link Unusable}
     * when it loads but fails the checks.
     */
    static TrtEngine deserialize(TrtLogger logger, byte[] plan, int minBatch, int maxBatch, String[] refusal) {
        long mark = logger.mark();
        IRuntime runtime = TrtOwnership.own(createInferRuntime(logger));
        if (runtime == null || runtime.isNull()) {
            throw ArgusException.modelUnavailable("TensorRT createInferRuntime failed: " + logger.errorsSince(mark), null);
        }
        ICudaEngine engine;
        try (BytePointer blob = new BytePointer(plan)) {
            engine = TrtOwnership.own(runtime.deserializeCudaEngine(blob, plan.length));
        } catch (RuntimeException | Error e) {
            TrtOwnership.release(runtime);
            throw e;
        }
        if (engine == null || engine.isNull()) {
            TrtOwnership.release(runtime);
            refusal[0] = logger.errorsSince(mark);
            return null;
        }
        try {
            TensorIo io = inspect(engine, minBatch, maxBatch);
            if (!ModelIo.outputResolved(io)) {
                io = resolveOutput(engine, io, minBatch, maxBatch);
            }
            return new TrtEngine(logger, runtime, engine, io);
        } catch (RuntimeException | Error e) {
            TrtOwnership.release(engine);
            TrtOwnership.release(runtime);
            if (e instanceof ArgusException unusable) {
                throw new Unusable(unusable);
            }
            throw e;
        }
    }

    private static TensorIo inspect(ICudaEngine engine, int minBatch, int maxBatch) {
        List<ModelIo.Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            boolean input = engine.getTensorIOMode(name).value == nvinfer.TensorIOMode.kINPUT.value;
            nvinfer.DataType type = engine.getTensorDataType(name);
            try (Dims64 d = engine.getTensorShape(name)) {
                tensors.add(new ModelIo.Tensor(name, input, type.value, type.toString(), EngineBuilder.dims(d)));
            }
        }
        return ModelIo.validate(tensors, minBatch, maxBatch, "the TensorRT engine");
    }

    /**
     * The output's sample shape for an engine that declares it only up to the batch ({@code [-1, -1]}): what a
     * context reports after the input shape is set to the smallest batch (shape inference needs no device memory).
     */
    private static TensorIo resolveOutput(ICudaEngine engine, TensorIo io, int minBatch, int maxBatch) {
        IExecutionContext c = engine.createExecutionContext(nvinfer.ExecutionContextAllocationStrategy.kUSER_MANAGED);
        if (c == null || c.isNull()) {
            throw ArgusException.modelUnavailable("TensorRT createExecutionContext failed while sizing the output", null);
        }
        TrtOwnership.own(c);
        try (Dims64 shape = EngineBuilder.batchShape(minBatch, io.sampleShape())) {
            if (!c.setInputShape(io.inputName(), shape)) {
                throw ArgusException.modelUnavailable("TensorRT rejected the input shape for batch " + minBatch, null);
            }
            try (Dims64 out = c.getTensorShape(io.outputName())) {
                return ModelIo.resolveOutput(io, EngineBuilder.dims(out), minBatch, maxBatch, "the TensorRT engine");
            }
        } finally {
            TrtOwnership.release(c);
        }
    }

    /** The plan loaded, but Argus cannot serve the engine ({@link ModelIo}'s checks); {@link #reason} says why. */
    static final class Unusable extends RuntimeException {
        private final ArgusException reason;

        Unusable(ArgusException reason) {
            super(reason.getMessage(), reason);
            this.reason = reason;
        }

        ArgusException reason() {
            return reason;
        }
    }

    @Override
    public void close() {
        TrtOwnership.release(engine);
        TrtOwnership.release(runtime);
    }
}
