package dev.argus.grpc;

import com.google.protobuf.ByteString;
import dev.argus.domain.ArgusException;
import dev.argus.domain.Classification;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassificationResult;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.Deadline;
import dev.argus.domain.ImageInput;
import dev.argus.domain.LabelStyle;
import dev.argus.grpc.inference.DataType;
import dev.argus.grpc.inference.GRPCInferenceServiceGrpc;
import dev.argus.grpc.inference.InferParameter;
import dev.argus.grpc.inference.InferStatistics;
import dev.argus.grpc.inference.InferBatchStatistics;
import dev.argus.grpc.inference.ModelConfig;
import dev.argus.grpc.inference.ModelConfigRequest;
import dev.argus.grpc.inference.ModelConfigResponse;
import dev.argus.grpc.inference.ModelDynamicBatching;
import dev.argus.grpc.inference.ModelInferRequest;
import dev.argus.grpc.inference.ModelInferResponse;
import dev.argus.grpc.inference.ModelInput;
import dev.argus.grpc.inference.ModelMetadataRequest;
import dev.argus.grpc.inference.ModelMetadataResponse;
import dev.argus.grpc.inference.ModelOutput;
import dev.argus.grpc.inference.ModelReadyRequest;
import dev.argus.grpc.inference.ModelReadyResponse;
import dev.argus.grpc.inference.ModelStatistics;
import dev.argus.grpc.inference.ModelStatisticsRequest;
import dev.argus.grpc.inference.ModelStatisticsResponse;
import dev.argus.grpc.inference.ModelStreamInferResponse;
import dev.argus.grpc.inference.RepositoryIndexRequest;
import dev.argus.grpc.inference.RepositoryIndexResponse;
import dev.argus.grpc.inference.RepositoryModelLoadRequest;
import dev.argus.grpc.inference.RepositoryModelLoadResponse;
import dev.argus.grpc.inference.RepositoryModelUnloadRequest;
import dev.argus.grpc.inference.RepositoryModelUnloadResponse;
import dev.argus.grpc.inference.ServerLiveRequest;
import dev.argus.grpc.inference.ServerLiveResponse;
import dev.argus.grpc.inference.ServerMetadataRequest;
import dev.argus.grpc.inference.ServerMetadataResponse;
import dev.argus.grpc.inference.ServerReadyRequest;
import dev.argus.grpc.inference.ServerReadyResponse;
import dev.argus.grpc.inference.StatisticDuration;
import dev.argus.ports.in.InferenceStatistics;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ModelControl;
import dev.argus.ports.in.ServedModel;
import dev.argus.ports.model.FloatTensor;
import dev.argus.ports.model.ModelInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}, Triton's and KServe's), over the
 * same {@link ModelCatalog} as {@code argus.v1}: what {@code tritonclient.grpc} and {@code perf_analyzer} call. A model
 * takes one input, BYTES {@code image} (encoded files, {@code [N]} or {@code [N,1]}) or FP32 {@code pixel_values}
 * ({@code [N,3,H,W]}), as typed contents or raw; outputs are {@code classification} (BYTES {@code [N,k]} of
 * {@code "score:index:label"}, softmax scores) for images and {@code logits} (FP32 {@code [N,classes]}) for a
 * tensor, always in {@code raw_output_contents}; Triton's classification extension ({@code classification} = k on a
 * requested output) works on both. Admission, deadlines and the bearer token are the server's, as for
 * {@code argus.v1}; model control takes the admin token ({@link AdminTokenInterceptor}).
 */
final class InferenceProtocolService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private static final System.Logger LOG = System.getLogger(InferenceProtocolService.class.getName());
    static final String IMAGE_INPUT = "image";
    static final String TENSOR_INPUT = "pixel_values";
    static final String CLASSIFICATION_OUTPUT = "classification";
    static final String LOGITS_OUTPUT = "logits";
    /** The extensions Argus serves, as ServerMetadata lists them. */
    static final List<String> EXTENSIONS = List.of("classification", "model_configuration", "model_repository",
            "statistics", "binary_tensor_data");

    private final ModelCatalog catalog;
    private final ModelControl control;
    private final BooleanSupplier ready;
    private final int maxBatch;

    /**
     * @param control   model control, or null without a repository
     * @param ready     whether the server has started (its models warmed up)
     * @param maxBatch  most images (or tensor rows) one request may hold: its {@code max_batch_size}
     */
    InferenceProtocolService(ModelCatalog catalog, ModelControl control, BooleanSupplier ready, int maxBatch) {
        this.catalog = catalog;
        this.control = control;
        this.ready = ready;
        this.maxBatch = maxBatch;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        GrpcCalls.answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        GrpcCalls.answer(out, () -> ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean() && catalog.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        GrpcCalls.answer(out, () -> ModelReadyResponse.newBuilder().setReady(ready.getAsBoolean()
                && catalog.find(request.getName(), request.getVersion()).map(ServedModel::isReady).orElse(false)).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        GrpcCalls.answer(out, () -> ServerMetadataResponse.newBuilder().setName("argus").setVersion(version())
                .addAllExtensions(EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        GrpcCalls.answer(out, () -> {
            ServedModel m = model(request.getName(), request.getVersion());
            ModelInfo info = m.useCase().model();
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name()).setPlatform("argus-" + info.backend());
            catalog.models().stream().filter(x -> x.name().equals(m.name())).forEach(x -> b.addVersions(x.version()));
            // [-1, 1], as Triton derives it from max_batch_size > 0 and dims [1]: perf_analyzer takes the shape after the
            // batch, and cannot send an input whose shape it finds empty
            b.addInputs(tensor(IMAGE_INPUT, "BYTES", -1L, 1L));
            b.addOutputs(tensor(CLASSIFICATION_OUTPUT, "BYTES", -1L, -1L));
            if (m.tensors().isPresent()) {
                b.addInputs(tensor(TENSOR_INPUT, "FP32", tensorShape(info, true)));
                b.addOutputs(tensor(LOGITS_OUTPUT, "FP32", -1L, info.labelCount()));
            }
            return b.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String name, String datatype, long... shape) {
        ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder().setName(name)
                .setDatatype(datatype);
        for (long d : shape) {
            t.addShape(d);
        }
        return t.build();
    }

    /** The model's input shape: {@code [-1, 3, H, W]} with the batch, {@code [3, H, W]} without. */
    private static long[] tensorShape(ModelInfo info, boolean withBatch) {
        long[] s = info.preprocess().map(p -> p.batchShape(1)).orElse(new long[] {1, -1, -1, -1});
        long[] out = s.clone();
        out[0] = -1;
        return withBatch ? out : java.util.Arrays.copyOfRange(out, 1, out.length);
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        GrpcCalls.answer(out, () -> {
            ServedModel m = model(request.getName(), request.getVersion());
            ModelInfo info = m.useCase().model();
            ModelConfig.Builder c = ModelConfig.newBuilder().setName(m.name()).setPlatform("argus-" + info.backend())
                    .setBackend(info.backend()).setMaxBatchSize(maxBatch)
                    .setDynamicBatching(ModelDynamicBatching.getDefaultInstance());
            c.addInput(ModelInput.newBuilder().setName(IMAGE_INPUT).setDataType(DataType.TYPE_STRING).addDims(1));
            c.addOutput(ModelOutput.newBuilder().setName(CLASSIFICATION_OUTPUT).setDataType(DataType.TYPE_STRING).addDims(-1));
            if (m.tensors().isPresent()) {
                // optional: a request gives one input or the other (perf_analyzer then sends only the images)
                ModelInput.Builder px = ModelInput.newBuilder().setName(TENSOR_INPUT).setDataType(DataType.TYPE_FP32).setOptional(true);
                info.preprocess().ifPresent(p -> px.setFormat(p.layout() == dev.argus.domain.TensorLayout.NHWC
                        ? ModelInput.Format.FORMAT_NHWC : ModelInput.Format.FORMAT_NCHW));
                for (long d : tensorShape(info, false)) {
                    px.addDims(d);
                }
                c.addInput(px);
                c.addOutput(ModelOutput.newBuilder().setName(LOGITS_OUTPUT).setDataType(DataType.TYPE_FP32).addDims(info.labelCount()));
            }
            info.properties().forEach((k, v) -> c.putParameters(k,
                    dev.argus.grpc.inference.ModelParameter.newBuilder().setStringValue(v).build()));
            return ModelConfigResponse.newBuilder().setConfig(c).build();
        });
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> out) {
        GrpcCalls.answer(out, () -> {
            List<ServedModel> models;
            if (request.getName().isEmpty()) {
                models = catalog.models();
            } else if (request.getVersion().isEmpty()) {
                ServedModel named = model(request.getName(), "");
                models = catalog.models().stream().filter(m -> m.name().equals(named.name())).toList();
            } else {
                models = List.of(model(request.getName(), request.getVersion()));
            }
            ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
            for (ServedModel m : models) {
                b.addModelStats(statistics(m));
            }
            return b.build();
        });
    }

    /** Triton's statistics from the scheduler's: every image counts once in queue and in each compute stage. */
    private static ModelStatistics statistics(ServedModel m) {
        ModelStatistics.Builder b = ModelStatistics.newBuilder().setName(m.name()).setVersion(m.version());
        if (m.statistics().isEmpty()) {
            return b.build();
        }
        InferenceStatistics s = m.statistics().get().get();
        long n = s.success();
        b.setInferenceCount(n).setExecutionCount(s.executions()).setInferenceStats(InferStatistics.newBuilder()
                .setSuccess(duration(n, s.successNanos()))
                .setFail(duration(s.failure(), 0))
                .setQueue(duration(n, s.queueNanos()))
                .setComputeInput(duration(n, s.inputNanos()))
                .setComputeInfer(duration(n, s.inferNanos()))
                .setComputeOutput(duration(n, s.outputNanos())));
        long[] sizes = s.batchSizeCounts();
        for (int size = 1; size < sizes.length; size++) {
            if (sizes[size] > 0) {
                b.addBatchStats(InferBatchStatistics.newBuilder().setBatchSize(size)
                        .setComputeInfer(duration(sizes[size], 0)));
            }
        }
        return b.build();
    }

    private static StatisticDuration duration(long count, long nanos) {
        return StatisticDuration.newBuilder().setCount(count).setNs(nanos).build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        GrpcCalls.answer(out, () -> infer(request));
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        ServerCallStreamObserver<ModelStreamInferResponse> call = (ServerCallStreamObserver<ModelStreamInferResponse>) out;
        return new StreamObserver<>() {
            @Override
            public void onNext(ModelInferRequest request) {
                ModelStreamInferResponse.Builder b = ModelStreamInferResponse.newBuilder();
                try {
                    b.setInferResponse(infer(request));
                } catch (ArgusException e) {
                    b.setErrorMessage(GrpcErrors.toStatus(e).getStatus().getDescription());
                } catch (StatusRuntimeException e) {
                    b.setErrorMessage(String.valueOf(e.getStatus().getDescription()));
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "ModelStreamInfer request failed unexpectedly", e);
                    b.setErrorMessage("Internal error while classifying; see the server log.");
                }
                synchronized (call) {
                    if (!call.isCancelled()) {
                        call.onNext(b.build());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                // the client went away: nothing to answer
            }

            @Override
            public void onCompleted() {
                synchronized (call) {
                    call.onCompleted();
                }
            }
        };
    }

    private ModelInferResponse infer(ModelInferRequest request) {
        ServedModel model = model(request.getModelName(), request.getModelVersion());
        if (request.getInputsCount() != 1) {
            throw GrpcErrors.invalidField("inputs", "The request must have exactly one input: BYTES '" + IMAGE_INPUT
                    + "' (encoded images) or FP32 '" + TENSOR_INPUT + "' (a preprocessed batch); it has "
                    + request.getInputsCount() + ".");
        }
        if (request.getRawInputContentsCount() > 1) {
            throw GrpcErrors.invalidField("raw_input_contents", "raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for 1 input.");
        }
        ModelInferRequest.InferInputTensor input = request.getInputs(0);
        boolean raw = request.getRawInputContentsCount() == 1;
        if (raw && input.hasContents()) {
            throw GrpcErrors.invalidField("inputs[0].contents", "Input '" + input.getName()
                    + "' has both contents and raw_input_contents; send one.");
        }
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(model.name())
                .setModelVersion(model.version()).setId(request.getId());
        Deadline deadline = GrpcCalls.callDeadline();
        switch (input.getDatatype()) {
            case "BYTES" -> images(model, request, input, raw, deadline, response);
            case "FP32" -> logits(model, request, input, raw, deadline, response);
            default -> throw GrpcErrors.invalidField("inputs[0].datatype", "Input '" + input.getName() + "' has datatype '"
                    + input.getDatatype() + "'; Argus takes BYTES (encoded images) or FP32 (a preprocessed batch).");
        }
        return response.build();
    }

    /** The requested outputs: their names (checked against {@code allowed}) and the classification count asked. */
    private record Wanted(String name, int classification) {
    }

    /**
     * The outputs asked for that this input gives ({@code natural}); the model's other output is skipped, not refused
     * (perf_analyzer asks for every output ModelMetadata lists), an unknown name is refused.
     */
    private static List<Wanted> outputs(ModelInferRequest request, String natural) {
        List<Wanted> out = new ArrayList<>();
        for (int i = 0; i < request.getOutputsCount(); i++) {
            ModelInferRequest.InferRequestedOutputTensor o = request.getOutputs(i);
            if (!o.getName().equals(CLASSIFICATION_OUTPUT) && !o.getName().equals(LOGITS_OUTPUT)) {
                throw GrpcErrors.invalidField("outputs[" + i + "].name", "Unknown output '" + o.getName() + "': the model has '"
                        + CLASSIFICATION_OUTPUT + "' (for BYTES images) and '" + LOGITS_OUTPUT + "' (for an FP32 batch).");
            }
            if (!o.getName().equals(natural)) {
                continue;
            }
            int k = 0;
            InferParameter p = o.getParametersMap().get("classification");
            if (p != null) {
                k = count(p, "outputs[" + i + "].parameters[\"classification\"]");
            }
            out.add(new Wanted(o.getName(), k));
        }
        if (out.isEmpty()) {
            out.add(new Wanted(natural, 0));
        }
        return out;
    }

    private static int count(InferParameter p, String field) {
        long k = switch (p.getParameterChoiceCase()) {
            case INT64_PARAM -> p.getInt64Param();
            case UINT64_PARAM -> p.getUint64Param();
            default -> -1;
        };
        if (k < 1 || k > 1000) {
            throw GrpcErrors.invalidField(field, field + " must be an integer 1..1000.");
        }
        return (int) k;
    }

    private static int elements(ModelInferRequest.InferInputTensor input, int max) {
        List<Long> shape = input.getShapeList();
        boolean ok = (shape.size() == 1 || shape.size() == 2 && shape.get(1) == 1) && shape.get(0) >= 1;
        if (!ok) {
            throw GrpcErrors.invalidField("inputs[0].shape", "BYTES input '" + input.getName() + "' must have shape [N] or "
                    + "[N,1] with N >= 1 images, got " + shape + ".");
        }
        if (shape.get(0) > max) {
            throw GrpcErrors.invalidField("inputs[0].shape", "The request holds a batch of " + shape.get(0)
                    + "; the limit (max_batch_size) is " + max + ".");
        }
        return (int) (long) shape.get(0);
    }

    private void images(ServedModel model, ModelInferRequest request, ModelInferRequest.InferInputTensor input, boolean raw,
                        Deadline deadline, ModelInferResponse.Builder response) {
        List<Wanted> wanted = outputs(request, CLASSIFICATION_OUTPUT);
        int n = elements(input, maxBatch);
        List<byte[]> files;
        if (raw) {
            files = OipTensors.bytesElements(request.getRawInputContents(0), n, "raw_input_contents[0]");
        } else {
            if (input.getContents().getBytesContentsCount() != n) {
                throw GrpcErrors.invalidField("inputs[0].contents.bytes_contents", "Input '" + input.getName() + "' has "
                        + input.getContents().getBytesContentsCount() + " bytes_contents; its shape says " + n + ".");
            }
            files = input.getContents().getBytesContentsList().stream().map(ByteString::toByteArray).toList();
        }
        ClassifyOptions options = options(request, wanted.get(0).classification()).withDeadline(deadline)
                .withTrace(GrpcCalls.callTrace());
        List<ImageInput> images = files.stream().map(ImageInput::of).toList();
        List<ClassificationResult> results = new ArrayList<>();
        if (images.size() == 1) {
            results.add(GrpcCalls.unlessCancelled(() -> model.useCase().classify(images.get(0), options)));
        } else {
            List<ClassificationOutcome> outcomes = GrpcCalls.unlessCancelled(() -> model.useCase().classifyBatch(images, options));
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) instanceof ClassificationOutcome.Failure f) {
                    throw GrpcErrors.toStatus(new ArgusException(f.code(), "Image " + i + " of the batch: " + f.message()));
                }
                results.add(outcomes.get(i).orThrow());
            }
        }
        int k = results.stream().mapToInt(r -> r.classifications().size()).max().orElse(0);
        List<byte[]> strings = new ArrayList<>();
        for (ClassificationResult r : results) {
            for (Classification c : r.classifications()) {
                strings.add(String.format(Locale.ROOT, "%.6f:%d:%s", c.score(), c.classIndex(), c.label())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        response.addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(CLASSIFICATION_OUTPUT)
                .setDatatype("BYTES").addShape(results.size()).addShape(k));
        response.addRawOutputContents(OipTensors.bytesContent(strings));
    }

    private void logits(ServedModel model, ModelInferRequest request, ModelInferRequest.InferInputTensor input, boolean raw,
                        Deadline deadline, ModelInferResponse.Builder response) {
        if (model.tensors().isEmpty()) {
            throw GrpcErrors.invalidField("inputs[0].datatype", "Model '" + model.name() + "' takes BYTES inputs only "
                    + "(encoded image files in input '" + IMAGE_INPUT + "'); its backend runs elsewhere.");
        }
        List<Wanted> wanted = outputs(request, LOGITS_OUTPUT);
        long[] shape = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 1) {
                throw GrpcErrors.invalidField("inputs[0].shape", "FP32 input '" + input.getName() + "' has shape "
                        + input.getShapeList() + "; every dimension must be >= 1.");
            }
            if (d > (Integer.MAX_VALUE / 4) / count) {
                throw GrpcErrors.invalidField("inputs[0].shape", "FP32 input '" + input.getName() + "' shape "
                        + input.getShapeList() + " is too large.");
            }
            count *= d;
        }
        if (shape.length == 0 || shape[0] > maxBatch) {
            throw GrpcErrors.invalidField("inputs[0].shape", "FP32 input '" + input.getName() + "' must be a batch [N,...] "
                    + "with 1 <= N <= " + maxBatch + " (max_batch_size), got " + input.getShapeList() + ".");
        }
        float[] data;
        if (raw) {
            data = OipTensors.fp32(request.getRawInputContents(0), count, "raw_input_contents[0]");
        } else {
            if (input.getContents().getFp32ContentsCount() != count) {
                throw GrpcErrors.invalidField("inputs[0].contents.fp32_contents", "Input '" + input.getName() + "' has "
                        + input.getContents().getFp32ContentsCount() + " fp32_contents; its shape needs " + count + ".");
            }
            data = new float[(int) count];
            for (int i = 0; i < count; i++) {
                data[i] = input.getContents().getFp32Contents(i);
            }
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw GrpcErrors.invalidField(raw ? "raw_input_contents[0]" : "inputs[0].contents.fp32_contents", "FP32 input '"
                        + input.getName() + "' element " + i + " is " + data[i] + "; every value must be a finite number.");
            }
        }
        FloatTensor logits = GrpcCalls.unlessCancelled(() -> model.tensors().get().infer(new FloatTensor(shape, data), deadline));
        int k = wanted.get(0).classification();
        ModelInferResponse.InferOutputTensor.Builder out = ModelInferResponse.InferOutputTensor.newBuilder().setName(LOGITS_OUTPUT);
        if (k == 0) {
            out.setDatatype("FP32");
            for (long d : logits.shape()) {
                out.addShape(d);
            }
            response.addOutputs(out).addRawOutputContents(OipTensors.fp32Content(logits.data()));
            return;
        }
        // Triton's classification extension on the logits: the top k values as "value:index:label" (the label in the
        // request's label_style; "value:index" when the class names are not known here, as Triton without a label file)
        int rows = (int) logits.shape()[0];
        int classes = (int) logits.shape()[1];
        int kk = Math.min(k, classes);
        LabelStyle style = options(request, 0).labelStyle();
        java.util.Optional<dev.argus.domain.LabelSet> labels = model.useCase().model().labels()
                .filter(l -> l.size() == classes);
        List<byte[]> strings = new ArrayList<>();
        double[] row = new double[classes];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                row[c] = logits.data()[r * classes + c];
            }
            for (int idx : dev.argus.ports.service.TopK.topIndices(row, kk)) {
                String label = labels.map(l -> ":" + l.label(idx, style)).orElse("");
                strings.add(String.format(Locale.ROOT, "%.6f:%d%s", row[idx], idx, label)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        out.setDatatype("BYTES").addShape(rows).addShape(kk);
        response.addOutputs(out).addRawOutputContents(OipTensors.bytesContent(strings));
    }

    /** top_k and label_style request parameters; a classification count on the output wins over top_k. */
    private static ClassifyOptions options(ModelInferRequest request, int classification) {
        ClassifyOptions o = ClassifyOptions.defaults();
        Map<String, InferParameter> p = request.getParametersMap();
        try {
            if (classification > 0) {
                o = o.withTopK(classification);
            } else if (p.containsKey("top_k")) {
                o = o.withTopK(count(p.get("top_k"), "parameters[\"top_k\"]"));
            }
            if (p.containsKey("label_style")) {
                o = o.withLabelStyle(LabelStyle.parse(p.get("label_style").getStringParam()));
            }
        } catch (ArgusException e) {
            throw GrpcErrors.invalidField("parameters", e.getMessage());
        }
        return o;
    }

    private ServedModel model(String name, String version) {
        return catalog.find(name, version).orElseThrow(() -> Status.NOT_FOUND.withDescription("Request for unknown model: '"
                + name + "'" + (version.isEmpty() ? "" : " version " + version) + " is not found; this server serves "
                + catalog.describe() + ".").asRuntimeException());
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> out) {
        GrpcCalls.answer(out, () -> {
            RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
            for (ModelCatalog.IndexEntry e : catalog.index()) {
                if (!request.getReady() || e.state().equals("READY")) {
                    b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(e.name()).setVersion(e.version())
                            .setState(e.state()).setReason(e.reason()));
                }
            }
            return b.build();
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> out) {
        GrpcCalls.answer(out, () -> {
            control(request.getModelName(), true);
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request, StreamObserver<RepositoryModelUnloadResponse> out) {
        GrpcCalls.answer(out, () -> {
            control(request.getModelName(), false);
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    private void control(String name, boolean load) {
        if (control == null) {
            throw Status.FAILED_PRECONDITION.withDescription("This server has no model repository (argus.repository).")
                    .asRuntimeException();
        }
        if (!control.refusal().isEmpty()) {
            throw Status.FAILED_PRECONDITION.withDescription(String.join(" ", control.refusal())).asRuntimeException();
        }
        try {
            if (load) {
                control.load(name);
            } else {
                control.unload(name);
            }
        } catch (ArgusException e) {
            throw (e.code() == dev.argus.domain.ErrorCode.INVALID_INPUT ? Status.NOT_FOUND : Status.FAILED_PRECONDITION)
                    .withDescription(e.getMessage()).asRuntimeException();
        }
    }

    private static String version() {
        String v = InferenceProtocolService.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
