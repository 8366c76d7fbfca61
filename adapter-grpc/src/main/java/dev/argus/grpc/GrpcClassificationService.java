package dev.argus.grpc;

import dev.argus.domain.ArgusException;
import dev.argus.domain.ClassificationOutcome;
import dev.argus.domain.ClassifyOptions;
import dev.argus.domain.ImageInput;
import dev.argus.domain.Outcomes;
import dev.argus.grpc.v1.ClassifierGrpc;
import dev.argus.grpc.v1.ClassifyBatchRequest;
import dev.argus.grpc.v1.ClassifyBatchResponse;
import dev.argus.grpc.v1.ClassifyRequest;
import dev.argus.grpc.v1.ClassifyResponse;
import dev.argus.grpc.v1.ClassifyStreamRequest;
import dev.argus.grpc.v1.ClassifyStreamResponse;
import dev.argus.grpc.v1.GetModelRequest;
import dev.argus.grpc.v1.ModelInfo;
import dev.argus.ports.in.ClassifyImageUseCase;
import dev.argus.ports.in.ModelCatalog;
import dev.argus.ports.in.ServedModel;
import io.grpc.stub.StreamObserver;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;

/**
 * The {@code argus.v1.Classifier} service: translates calls to the {@link ClassifyImageUseCase} and back. Every
 * failure reaches the client as a status through {@code onError}; nothing is thrown from a handler. A call that is
 * cancelled or past its deadline does not start inference; its deadline and cancellation travel with the request
 * (a {@code Deadline} in its options) to every stage of the pipeline. Admission (the core {@code Admission}: call
 * places, message memory) happens before a
 * call reaches this service ({@link CallAdmission}); lifecycle (ports, TLS, health, shutdown) is {@link GrpcServer}'s.
 */
public final class GrpcClassificationService extends ClassifierGrpc.ClassifierImplBase {
    private static final System.Logger LOG = System.getLogger(GrpcClassificationService.class.getName());

    /** Most images one ClassifyBatch call may hold (the message size limit bounds their bytes). */
    public static final int MAX_BATCH_IMAGES = 256;

    /** Why a batch of {@code count} images is refused. */
    static String tooManyImages(String count) {
        return "The batch has " + count + " images; ClassifyBatch takes at most " + MAX_BATCH_IMAGES
                + ". Split it, or send them one by one over ClassifyStream.";
    }

    private final ModelCatalog catalog;
    private final int maxRequestBytes;

    /**
     * @param useCase            what classifies
     * @param maxRequestBytes    the server's inbound message limit, reported by GetModel
     */
    public GrpcClassificationService(ClassifyImageUseCase useCase, int maxRequestBytes) {
        this(ModelCatalog.alone(useCase, java.util.Optional.empty(), List.of(), () -> true), maxRequestBytes);
    }

    /**
     * @param catalog            the models served; each request's {@code model} and {@code version} fields choose one
     * @param maxRequestBytes    the server's inbound message limit, reported by GetModel
     */
    public GrpcClassificationService(ModelCatalog catalog, int maxRequestBytes) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.maxRequestBytes = maxRequestBytes;
    }

    /** The model a request names (empty: the default; version empty: the newest), or NOT_FOUND naming what is served. */
    private ServedModel model(String name, String version) {
        return catalog.find(name, version).orElseThrow(() -> io.grpc.Status.NOT_FOUND.withDescription("Unknown model '"
                + name + "'" + (version.isEmpty() ? "" : " version '" + version + "'") + ": this server serves "
                + catalog.describe() + ".").asRuntimeException());
    }

    @Override
    public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> out) {
        GrpcCalls.answer(out, () -> classifyOne(request));
    }

    @Override
    public void classifyBatch(ClassifyBatchRequest request, StreamObserver<ClassifyBatchResponse> out) {
        GrpcCalls.answer(out, () -> {
            if (request.getImagesCount() == 0) {
                throw ArgusException.invalidInput("No images: send at least one in `images`.");
            }
            if (request.getImagesCount() > MAX_BATCH_IMAGES) {
                throw ArgusException.invalidInput(tooManyImages(String.valueOf(request.getImagesCount())));
            }
            ClassifyImageUseCase useCase = model(request.getModel(), request.getVersion()).useCase();
            ClassifyOptions options = ProtoMapper.options(request.getTopK(), request.getLabelStyle())
                    .withDeadline(GrpcCalls.callDeadline()).withTrace(GrpcCalls.callTrace());
            List<ClassificationOutcome> outcomes = Outcomes.classify(request.getImagesList(), ProtoMapper::image,
                    images -> GrpcCalls.unlessCancelled(() -> useCase.classifyBatch(images, options)));
            ClassifyBatchResponse.Builder b = ClassifyBatchResponse.newBuilder();
            for (int i = 0; i < outcomes.size(); i++) {
                b.addOutcomes(ProtoMapper.outcome(outcomes.get(i), i));
            }
            return b.build();
        });
    }

    @Override
    public StreamObserver<ClassifyStreamRequest> classifyStream(StreamObserver<ClassifyStreamResponse> out) {
        return ClassifyStreamHandler.start(out, this::streamItem);
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> out) {
        GrpcCalls.answer(out, () -> {
            ServedModel m = model(request.getModel(), request.getVersion());
            return ProtoMapper.modelInfo(m.useCase().model(), maxRequestBytes).toBuilder().setModel(m.name())
                    .setVersion(m.version()).addAllAliases(m.aliases()).build();
        });
    }

    /** One stream item: a response with a result or the item's own error; the stream goes on either way. */
    private ClassifyStreamResponse streamItem(ClassifyStreamRequest item) {
        ClassifyStreamResponse.Builder b = ClassifyStreamResponse.newBuilder().setId(item.getId());
        try {
            return b.setResult(classifyOne(item.getRequest())).build();
        } catch (ArgusException e) {
            return b.setError(GrpcErrors.toProtoError(e.code(), e.getMessage(), e.field().orElse(null), "request.")).build();
        } catch (io.grpc.StatusRuntimeException e) {
            // Cancelled before inference started: the client is gone, nobody reads this.
            return b.setError(dev.argus.grpc.v1.Error.newBuilder().setCode(e.getStatus().getCode().value())
                    .setMessage(String.valueOf(e.getStatus().getDescription()))).build();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "gRPC stream item '" + item.getId() + "' failed unexpectedly", e);
            return b.setError(GrpcErrors.toProtoError(dev.argus.domain.ErrorCode.INFERENCE_FAILED,
                    "Internal error while classifying; see the server log.", null, "")).build();
        }
    }

    private ClassifyResponse classifyOne(ClassifyRequest request) {
        ClassifyImageUseCase useCase = model(request.getModel(), request.getVersion()).useCase();
        ImageInput image = ProtoMapper.image(request);
        ClassifyOptions options = ProtoMapper.options(request.getTopK(), request.getLabelStyle())
                .withDeadline(GrpcCalls.callDeadline()).withTrace(GrpcCalls.callTrace());
        return ProtoMapper.response(GrpcCalls.unlessCancelled(() -> useCase.classify(image, options)));
    }
}
