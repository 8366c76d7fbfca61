package dev.argus.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
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

    ExecutionWorker(ICudaEngine engine, TensorIo io, int deviceId, int minBatch, int maxBatch, int index) {
        this.deviceId = deviceId;
        this.io = io;
        this.minBatch = minBatch;
        this.maxBatch = maxBatch;
        try {
            Cuda.check(cudaSetDevice(deviceId), "cudaSetDevice");
            CUstream_st s = new CUstream_st();
            Cuda.check(cudaStreamCreateWithFlags(s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            releases.push(() -> cudaStreamDestroy(s));
            stream = s;

            long contextBytes = engine.getDeviceMemorySizeV2();
            Pointer contextMemory = deviceAlloc(Math.max(contextBytes, 1));
            IExecutionContext c = TrtOwnership.own(
                    engine.createExecutionContext(nvinfer.ExecutionContextAllocationStrategy.kUSER_MANAGED));
            if (c == null || c.isNull()) {
                throw new IllegalStateException("createExecutionContext failed");
            }
            releases.push(c::close);
            c.setDeviceMemoryV2(contextMemory, contextBytes);
            c.setName("argus-trt-" + index);
            context = c;

            hostIn = pinned((long) maxBatch * io.inputPerSample());
            hostOut = pinned((long) maxBatch * io.outputPerSample());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code n} samples; returns {@code n x outputPerSample} values. */
    float[] run(float[] input, int n) {
        int inPer = io.inputPerSample();
        int outPer = io.outputPerSample();
        int run = BatchClasses.runBatch(n, minBatch);
        Pointer[] buffers = deviceBuffers.computeIfAbsent(BatchClasses.classFor(n, minBatch, maxBatch), this::allocateClass);
        Cuda.check(cudaSetDevice(deviceId), "cudaSetDevice");
        hostIn.position(0).put(input, 0, n * inPer);
        if (run > n) {
            hostIn.position((long) n * inPer).put(new float[(run - n) * inPer], 0, (run - n) * inPer);
        }
        hostIn.position(0);
        try (Dims64 shape = new Dims64()) {
            shape.nbDims(io.sampleShape().length + 1);
            shape.d(0, run);
            for (int i = 0; i < io.sampleShape().length; i++) {
                shape.d(i + 1, io.sampleShape()[i]);
            }
            require(context.setInputShape(io.inputName(), shape), "setInputShape");
        }
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

    private Pointer[] allocateClass(int batchClass) {
        return new Pointer[] {
            deviceAlloc((long) batchClass * io.inputPerSample() * Float.BYTES),
            deviceAlloc((long) batchClass * io.outputPerSample() * Float.BYTES)
        };
    }

    private Pointer deviceAlloc(long bytes) {
        Pointer p = new Pointer();
        Cuda.check(cudaMalloc(p, bytes), "cudaMalloc(" + bytes + ")");
        releases.push(() -> cudaFree(p));
        return p;
    }

    private FloatPointer pinned(long floats) {
        Pointer p = new Pointer();
        Cuda.check(cudaMallocHost(p, floats * Float.BYTES), "cudaMallocHost(" + floats * Float.BYTES + ")");
        releases.push(() -> cudaFreeHost(p));
        return new FloatPointer(p).capacity(floats);
    }

    private static void require(boolean ok, String call) {
        if (!ok) {
            throw new IllegalStateException("TensorRT " + call + " failed");
        }
    }

    /** Waits for the stream, then releases everything in reverse order of creation. */
    @Override
    public void close() {
        if (stream != null) {
            cudaStreamSynchronize(stream);
        }
        while (!releases.isEmpty()) {
            releases.pop().run();
        }
        deviceBuffers.clear();
    }
}
