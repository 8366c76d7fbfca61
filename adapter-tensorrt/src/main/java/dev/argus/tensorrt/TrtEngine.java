package dev.argus.tensorrt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferRuntime;

import dev.argus.domain.ArgusException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
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

    /** Deserialises {@code plan}; null when TensorRT refuses it (stale or built elsewhere), the logger says why. */
    static TrtEngine deserialize(TrtLogger logger, byte[] plan) {
        IRuntime runtime = TrtOwnership.own(createInferRuntime(logger));
        if (runtime == null || runtime.isNull()) {
            throw ArgusException.modelUnavailable("TensorRT createInferRuntime failed: " + logger.lastError(), null);
        }
        ICudaEngine engine;
        try (BytePointer blob = new BytePointer(plan)) {
            engine = TrtOwnership.own(runtime.deserializeCudaEngine(blob, plan.length));
        }
        if (engine == null || engine.isNull()) {
            runtime.close();
            return null;
        }
        try {
            return new TrtEngine(logger, runtime, engine, inspect(engine));
        } catch (RuntimeException e) {
            engine.close();
            runtime.close();
            throw e;
        }
    }

    private static TensorIo inspect(ICudaEngine engine) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            (engine.getTensorIOMode(name).value == nvinfer.TensorIOMode.kINPUT.value ? inputs : outputs).add(name);
            if (engine.getTensorDataType(name).value != nvinfer.DataType.kFLOAT.value) {
                throw ArgusException.modelUnavailable("TensorRT tensor '" + name + "' is " + engine.getTensorDataType(name)
                        + "; Argus exchanges float32 tensors.", null);
            }
        }
        if (inputs.size() != 1 || outputs.isEmpty()) {
            throw ArgusException.modelUnavailable("TensorRT engine needs one input and an output, has " + inputs + " -> " + outputs, null);
        }
        return new TensorIo(inputs.get(0), afterBatch(engine.getTensorShape(inputs.get(0))),
                outputs.get(0), afterBatch(engine.getTensorShape(outputs.get(0))));
    }

    private static long[] afterBatch(Dims64 d) {
        long[] s = new long[Math.max(0, d.nbDims() - 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = d.d(i + 1);
            if (s[i] < 0) {
                throw ArgusException.modelUnavailable("TensorRT: only the batch dimension may be dynamic", null);
            }
        }
        return s;
    }

    @Override
    public void close() {
        engine.close();
        runtime.close();
    }
}
