package dev.argus.tensorrt;

import static org.bytedeco.tensorrt.global.nvinfer.createInferBuilder;

import dev.argus.domain.ArgusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;

/**
 * ONNX model to serialised engine: ONNX parser, one optimisation profile over the batch dimension, workspace limit,
 * precision. TensorRT 11 builds strongly typed networks only (no FP16 builder flag): FP32 parses the file as it is
 * and turns TF32 off so the results are exact FP32; FP16 first converts the model with {@link OnnxFp16Converter}
 * (FLOAT16 weights and tensors inside, float32 input and output behind casts), or takes a model that already uses
 * FLOAT16 as it is, and parses it from memory.
 */
final class EngineBuilder {
    private static final System.Logger LOG = System.getLogger(EngineBuilder.class.getName());

    /** The ONNX parser version the presets' wrappers were compiled against (the header's, 11.2: 0.2.0). */
    static final int BINDINGS_PARSER_VERSION = nvonnxparser.NV_ONNX_PARSER_MAJOR * 10000
            + nvonnxparser.NV_ONNX_PARSER_MINOR * 100 + nvonnxparser.NV_ONNX_PARSER_PATCH;

    private EngineBuilder() {
    }

    static byte[] build(Path model, TensorRtConfig config, TrtLogger logger) {
        List<Pointer> owned = new ArrayList<>();
        long mark = logger.mark();
        try {
            IBuilder builder = own(owned, createInferBuilder(logger), "createInferBuilder", logger, mark);
            INetworkDefinition network = own(owned,
                    builder.createNetworkV2(1 << nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value), "createNetworkV2", logger, mark);
            // FP16: the converted model, in native memory the parser reads; released after the parser.
            BytePointer fp16 = config.precision() == TensorRtConfig.Precision.FP32 ? null : fp16Buffer(model, owned);
            IParser parser = check(nvonnxparser.createParser(network, logger), "createParser", logger, mark);
            if (TrtOwnership.ownParser(parser, nvonnxparser.getNvOnnxParserVersion(), BINDINGS_PARSER_VERSION,
                    nvinfer.getInferLibMajorVersion())) {
                owned.add(parser);
            }
            if (!parse(parser, model, fp16)) {
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < parser.getNbErrors(); i++) {
                    IParserError error = parser.getError(i);
                    String where = error.node() < 0 ? "" : " (node " + error.node() + " '" + error.nodeName() + "', "
                            + error.nodeOperator() + ")";
                    errors.add(error.code() + ": " + error.desc() + where);
                }
                throw ArgusException.modelUnavailable("TensorRT cannot parse " + model + ": " + errors, null);
            }
            // Refuse what Argus cannot serve now, not after a build of minutes.
            TensorIo io = ModelIo.validate(tensors(network), config.minBatch(), config.maxBatch(), "the model " + model);
            IOptimizationProfile profile = builder.createOptimizationProfile();
            String name = io.inputName();
            setBatch(profile, name, nvinfer.OptProfileSelector.kMIN, io.sampleShape(), config.minBatch());
            setBatch(profile, name, nvinfer.OptProfileSelector.kOPT, io.sampleShape(), config.optBatch());
            setBatch(profile, name, nvinfer.OptProfileSelector.kMAX, io.sampleShape(), config.maxBatch());
            IBuilderConfig cfg = own(owned, builder.createBuilderConfig(), "createBuilderConfig", logger, mark);
            cfg.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, config.workspaceBytes());
            if (config.precision() == TensorRtConfig.Precision.FP32) {
                cfg.clearFlag(nvinfer.BuilderFlag.kTF32);
            }
            if (cfg.addOptimizationProfile(profile) < 0) {
                throw ArgusException.modelUnavailable("TensorRT rejected the batch profile " + config.minBatch() + "/"
                        + config.optBatch() + "/" + config.maxBatch() + ": " + logger.errorsSince(mark), null);
            }
            long t0 = System.nanoTime();
            IHostMemory plan = own(owned, builder.buildSerializedNetwork(network, cfg), "buildSerializedNetwork", logger, mark);
            byte[] bytes = new byte[Math.toIntExact(plan.size())];
            try (BytePointer data = new BytePointer(plan.data())) {
                data.capacity(bytes.length).get(bytes);
            }
            LOG.log(System.Logger.Level.INFO, "TensorRT built an engine for {0} in {1} s ({2} MB)", model,
                    (System.nanoTime() - t0) / 1_000_000_000, bytes.length >> 20);
            return bytes;
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                TrtOwnership.release(owned.get(i));
            }
        }
    }

    /**
     * FP32: the parser reads the file. FP16: the model converted by {@link OnnxFp16Converter} (or as it is, when it
     * already uses FLOAT16), parsed from memory; the buffer is released with the builder's objects, after the build
     * and after the parser.
     */
    private static boolean parse(IParser parser, Path model, BytePointer fp16) {
        if (fp16 == null) {
            return parser.parseFromFile(model.toString(), ILogger.Severity.kWARNING.value);
        }
        return parser.parse(fp16, fp16.capacity(), model.toAbsolutePath().toString());
    }

    private static BytePointer fp16Buffer(Path path, List<Pointer> owned) {
        byte[] model = fp16Model(path);
        BytePointer buffer = new BytePointer(model);
        owned.add(buffer);
        return buffer;
    }

    private static byte[] fp16Model(Path path) {
        byte[] original = readModel(path);
        long t0 = System.nanoTime();
        byte[] model;
        try {
            model = OnnxFp16Converter.convert(original);
        } catch (ArgusException e) {
            throw ArgusException.modelUnavailable(path + ": " + e.getMessage(), e);
        }
        if (model == original) {
            LOG.log(System.Logger.Level.INFO, "{0} already uses FLOAT16: the FP16 engine is built from it as it is", path);
        } else {
            LOG.log(System.Logger.Level.INFO, "Converted {0} to FP16 in {1} ms ({2} MB -> {3} MB)", path,
                    (System.nanoTime() - t0) / 1_000_000, original.length >> 20, model.length >> 20);
        }
        return model;
    }

    private static byte[] readModel(Path model) {
        try {
            return Files.readAllBytes(model);
        } catch (IOException e) {
            throw ArgusException.modelUnavailable("Cannot read the model " + model + ": " + e.getMessage(), e);
        }
    }

    private static void setBatch(IOptimizationProfile profile, String name, nvinfer.OptProfileSelector which, long[] sample, int batch) {
        try (Dims64 d = batchShape(batch, sample)) {
            if (!profile.setDimensions(name, which, d)) {
                throw ArgusException.modelUnavailable("TensorRT rejected batch " + batch + " for input '" + name + "'.", null);
            }
        }
    }

    /** The network's inputs and outputs as {@link ModelIo} checks them. */
    private static List<ModelIo.Tensor> tensors(INetworkDefinition network) {
        List<ModelIo.Tensor> out = new ArrayList<>();
        for (int i = 0; i < network.getNbInputs(); i++) {
            out.add(describe(network.getInput(i), true));
        }
        for (int i = 0; i < network.getNbOutputs(); i++) {
            out.add(describe(network.getOutput(i), false));
        }
        return out;
    }

    private static ModelIo.Tensor describe(ITensor t, boolean input) {
        try (Dims64 d = t.getDimensions()) {
            return new ModelIo.Tensor(t.getName(), input, t.getType().value, t.getType().toString(), dims(d));
        }
    }

    /** {@code [batch, sample...]} as TensorRT takes it; close it after use. */
    static Dims64 batchShape(int batch, long[] sample) {
        Dims64 d = new Dims64();
        d.nbDims(sample.length + 1);
        d.d(0, batch);
        for (int i = 0; i < sample.length; i++) {
            d.d(i + 1, sample[i]);
        }
        return d;
    }

    /** The dimensions of {@code d}; a negative rank (TensorRT's "unknown") is returned as an empty shape. */
    static long[] dims(Dims64 d) {
        long[] out = new long[Math.max(0, d.nbDims())];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.d(i);
        }
        return out;
    }

    /** Checks {@code p}, makes its {@code close()} delete it, and records it for release in reverse order. */
    private static <P extends Pointer> P own(List<Pointer> owned, P p, String call, TrtLogger logger, long mark) {
        owned.add(TrtOwnership.own(check(p, call, logger, mark)));
        return p;
    }

    private static <P extends Pointer> P check(P p, String call, TrtLogger logger, long mark) {
        if (p == null || p.isNull()) {
            throw ArgusException.modelUnavailable("TensorRT " + call + " failed: " + logger.errorsSince(mark), null);
        }
        return p;
    }
}
