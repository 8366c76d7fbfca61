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

    static byte[] build(TensorRtConfig config, TrtLogger logger) {
        List<Pointer> owned = new ArrayList<>();
        try {
            IBuilder builder = own(owned, createInferBuilder(logger), "createInferBuilder", logger);
            INetworkDefinition network = own(owned,
                    builder.createNetworkV2(1 << nvinfer.NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value), "createNetworkV2", logger);
            // FP16: the converted model, in native memory the parser reads; released after the parser.
            BytePointer fp16 = config.precision() == TensorRtConfig.Precision.FP32 ? null : fp16Buffer(config.model(), owned);
            IParser parser = check(nvonnxparser.createParser(network, logger), "createParser", logger);
            if (TrtOwnership.ownParser(parser, nvonnxparser.getNvOnnxParserVersion(), BINDINGS_PARSER_VERSION)) {
                owned.add(parser);
            }
            if (!parse(parser, config, fp16)) {
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < parser.getNbErrors(); i++) {
                    errors.add(parser.getError(i).desc());
                }
                throw ArgusException.modelUnavailable("TensorRT cannot parse " + config.model() + ": " + errors, null);
            }
            if (network.getNbInputs() != 1 || network.getNbOutputs() < 1) {
                throw ArgusException.modelUnavailable("TensorRT needs a model with one input and an output; " + config.model()
                        + " has " + network.getNbInputs() + " inputs and " + network.getNbOutputs() + " outputs.", null);
            }
            ITensor input = network.getInput(0);
            if (input.getType().value != nvinfer.DataType.kFLOAT.value) {
                throw ArgusException.modelUnavailable("The model's input '" + input.getName() + "' is " + input.getType()
                        + "; Argus feeds float32 (export FP16 models with float32 inputs and outputs).", null);
            }
            IOptimizationProfile profile = builder.createOptimizationProfile();
            String name = input.getName();
            Dims64 dims = input.getDimensions();
            long fixed = dims.d(0);
            if (fixed > 0 && (config.minBatch() != fixed || config.maxBatch() != fixed)) {
                throw ArgusException.configuration("The model's batch dimension is fixed at " + fixed
                        + "; set the TensorRT batch profile to " + fixed + "/" + fixed + "/" + fixed + " or export it with a dynamic batch.");
            }
            setBatch(profile, name, nvinfer.OptProfileSelector.kMIN, dims, config.minBatch());
            setBatch(profile, name, nvinfer.OptProfileSelector.kOPT, dims, config.optBatch());
            setBatch(profile, name, nvinfer.OptProfileSelector.kMAX, dims, config.maxBatch());
            IBuilderConfig cfg = own(owned, builder.createBuilderConfig(), "createBuilderConfig", logger);
            cfg.setMemoryPoolLimit(nvinfer.MemoryPoolType.kWORKSPACE, config.workspaceBytes());
            if (config.precision() == TensorRtConfig.Precision.FP32) {
                cfg.clearFlag(nvinfer.BuilderFlag.kTF32);
            }
            if (cfg.addOptimizationProfile(profile) < 0) {
                throw ArgusException.modelUnavailable("TensorRT rejected the batch profile " + config.minBatch() + "/"
                        + config.optBatch() + "/" + config.maxBatch() + ": " + logger.lastError(), null);
            }
            long t0 = System.nanoTime();
            IHostMemory plan = own(owned, builder.buildSerializedNetwork(network, cfg), "buildSerializedNetwork", logger);
            byte[] bytes = new byte[Math.toIntExact(plan.size())];
            try (BytePointer data = new BytePointer(plan.data())) {
                data.capacity(bytes.length).get(bytes);
            }
            LOG.log(System.Logger.Level.INFO, "TensorRT built an engine for {0} in {1} s ({2} MB)", config.model(),
                    (System.nanoTime() - t0) / 1_000_000_000, bytes.length >> 20);
            return bytes;
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
        }
    }

    /**
     * FP32: the parser reads the file. FP16: the model converted by {@link OnnxFp16Converter} (or as it is, when it
     * already uses FLOAT16), parsed from memory; the buffer is released with the builder's objects, after the build
     * and after the parser.
     */
    private static boolean parse(IParser parser, TensorRtConfig config, BytePointer fp16) {
        if (fp16 == null) {
            return parser.parseFromFile(config.model().toString(), ILogger.Severity.kWARNING.value);
        }
        return parser.parse(fp16, fp16.capacity(), config.model().toAbsolutePath().toString());
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

    private static void setBatch(IOptimizationProfile profile, String name, nvinfer.OptProfileSelector which, Dims64 model, int batch) {
        try (Dims64 d = new Dims64()) {
            d.nbDims(model.nbDims());
            d.d(0, batch);
            for (int i = 1; i < model.nbDims(); i++) {
                d.d(i, model.d(i));
            }
            if (!profile.setDimensions(name, which, d)) {
                throw ArgusException.modelUnavailable("TensorRT rejected batch " + batch + " for input '" + name + "'.", null);
            }
        }
    }

    /** Checks {@code p}, makes its {@code close()} delete it, and records it for release in reverse order. */
    private static <P extends Pointer> P own(List<Pointer> owned, P p, String call, TrtLogger logger) {
        owned.add(TrtOwnership.own(check(p, call, logger)));
        return p;
    }

    private static <P extends Pointer> P check(P p, String call, TrtLogger logger) {
        if (p == null || p.isNull()) {
            throw ArgusException.modelUnavailable("TensorRT " + call + " failed: " + logger.lastError(), null);
        }
        return p;
    }
}
