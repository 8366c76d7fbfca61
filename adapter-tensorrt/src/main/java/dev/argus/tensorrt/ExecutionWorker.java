package dev.argus.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaGetLastError;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreateWithFlags;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamNonBlocking;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;

/**
 * One execution context with its own CUDA stream, its own device memory for the context, pinned host buffers for the
 * largest batch, and device buffers allocated once per batch size class. Used by one thread at a time.
 */
final class ExecutionWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExecutionWorker.class.getName());
    private final int deviceId;
    private final TensorIo io;
    private final int minBatch;
    private final int maxBatch;
    /** Everything native this worker created, released in reverse order. */
    private final Deque<Runnable> releases = new ArrayDeque<>();
    private final CUstream_st stream;
    private final IExecutionContext context;
    private final FloatPointer hostIn;
    private final FloatPointer hostOut;
    private final Map<Integer, Pointer[]> deviceBuffers = new HashMap<>();
    private boolean closed;

    ExecutionWorker(ICudaEngine engine, TensorIo io, int deviceId, int minBatch, int maxBatch, int index) {
        this.deviceId = deviceId;
        this.io = io;
        this.minBatch = minBatch;
        this.maxBatch = maxBatch;
        try {
            Cuda.check(cudaSetDevice(deviceId), "cudaSetDevice");
            CUstream_st s = new CUstream_st();
            Cuda.check(cudaStreamCreateWithFlags(s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            releases.push(() -> warnOnError(cudaStreamDestroy(s), "cudaStreamDestroy"));
            stream = s;

            long contextBytes = engine.getDeviceMemorySizeV2();
            Pointer contextMemory = deviceAlloc(Math.max(contextBytes, 1));
            releases.push(() -> warnOnError(cudaFree(contextMemory), "cudaFree"));
            IExecutionContext c = engine.createExecutionContext(nvinfer.ExecutionContextAllocationStrategy.kUSER_MANAGED);
            if (c == null || c.isNull()) {
                throw new IllegalStateException("createExecutionContext failed");
            }
            TrtOwnership.own(c);
            releases.push(() -> TrtOwnership.release(c));
            c.setDeviceMemoryV2(contextMemory, contextBytes);
            c.setName("argus-trt-" + index);
            context = c;

            hostIn = pinned((long) maxBatch * io.inputPerSample());
            hostOut = pinned((long) maxBatch * io.outputPerSample());
            // The output buffers are sized [batch, outputSampleShape]: check that TensorRT agrees at both ends of the profile.
            setBatch(minBatch);
            setBatch(maxBatch);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Runs {@code n} samples; returns {@code n x outputPerSample} values. When a call fails, the stream is drained
     * before the worker is used again; if draining reports an error too, the CUDA context is unusable
     * ({@link ContextFailure}).
     */
    float[] run(float[] input, int n) {
        Cuda.check(cudaSetDevice(deviceId), "cudaSetDevice");
        try {
            return enqueue(input, n);
        } catch (RuntimeException e) {
            int rc = cudaStreamSynchronize(stream);
            if (rc != cudart.cudaSuccess) {
                throw new ContextFailure(Cuda.describe(rc, "cudaStreamSynchronize after " + e.getMessage()), e);
            }
            // A recoverable error (e.g. out of memory) stays in this thread's last-error slot, where TensorRT or a
            // plugin checking cudaGetLastError after a launch would take it for its own: clear it.
            cudaGetLastError();
            throw e;
        }
    }

    private float[] enqueue(float[] input, int n) {
        int inPer = io.inputPerSample();
        int outPer = io.outputPerSample();
        int run = BatchClasses.runBatch(n, minBatch);
        Pointer[] buffers = deviceBuffers.computeIfAbsent(BatchClasses.classFor(n, minBatch, maxBatch), this::allocateClass);
        hostIn.position(0).put(input, 0, n * inPer);
        if (run > n) {
            hostIn.position((long) n * inPer).put(new float[(run - n) * inPer], 0, (run - n) * inPer);
        }
        hostIn.position(0);
        setBatch(run);
        require(context.setTensorAddress(io.inputName(), buffers[0]), "setTensorAddress(input)");
        require(context.setTensorAddress(io.outputName(), buffers[1]), "setTensorAddress(output)");
        Cuda.check(cudaMemcpyAsync(buffers[0], hostIn, (long) run * inPer * Float.BYTES, cudaMemcpyHostToDevice, stream),
                "cudaMemcpyAsync(host to device)");
        require(context.enqueueV3(stream), "enqueueV3");
        hostOut.position(0);
        Cuda.check(cudaMemcpyAsync(hostOut, buffers[1], (long) run * outPer * Float.BYTES, cudaMemcpyDeviceToHost, stream),
                "cudaMemcpyAsync(device to host)");
        Cuda.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        float[] out = new float[n * outPer];
        hostOut.position(0).get(out, 0, out.length);
        return out;
    }

    /** Sets the input shape for a batch of {@code run} and checks the output shape TensorRT then reports. */
    private void setBatch(int run) {
        try (Dims64 shape = EngineBuilder.batchShape(run, io.sampleShape())) {
            require(context.setInputShape(io.inputName(), shape), "setInputShape(batch " + run + ")");
        }
        try (Dims64 out = context.getTensorShape(io.outputName())) {
            io.checkOutputShape(EngineBuilder.dims(out), run);
        }
    }

    /** Both device buffers of a batch class, or neither (a failed second allocation frees the first). */
    private Pointer[] allocateClass(int batchClass) {
        Pointer in = deviceAlloc((long) batchClass * io.inputPerSample() * Float.BYTES);
        Pointer out;
        try {
            out = deviceAlloc((long) batchClass * io.outputPerSample() * Float.BYTES);
        } catch (RuntimeException e) {
            cudaFree(in);
            cudaGetLastError();
            throw e;
        }
        releases.push(() -> warnOnError(cudaFree(in), "cudaFree"));
        releases.push(() -> warnOnError(cudaFree(out), "cudaFree"));
        return new Pointer[] {in, out};
    }

    /** Device memory; the caller registers its release. */
    private static Pointer deviceAlloc(long bytes) {
        Pointer p = new Pointer();
        Cuda.check(cudaMalloc(p, bytes), "cudaMalloc(" + bytes + ")");
        return p;
    }

    private FloatPointer pinned(long floats) {
        Pointer p = new Pointer();
        Cuda.check(cudaMallocHost(p, floats * Float.BYTES), "cudaMallocHost(" + floats * Float.BYTES + ")");
        releases.push(() -> warnOnError(cudaFreeHost(p), "cudaFreeHost"));
        return new FloatPointer(p).capacity(floats);
    }

    private static void require(boolean ok, String call) {
        if (!ok) {
            throw new IllegalStateException("TensorRT " + call + " failed");
        }
    }

    private static void warnOnError(int rc, String call) {
        if (rc != cudart.cudaSuccess) {
            LOG.log(System.Logger.Level.WARNING, "{0} while releasing a TensorRT worker", Cuda.describe(rc, call));
        }
    }

    /** Waits for the stream, then releases everything in reverse order of creation. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            warnOnError(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        }
        while (!releases.isEmpty()) {
            releases.pop().run();
        }
        deviceBuffers.clear();
    }

    /** The CUDA context of this worker's device failed (a sticky error): no further call on it can succeed. */
    static final class ContextFailure extends IllegalStateException {
        ContextFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
